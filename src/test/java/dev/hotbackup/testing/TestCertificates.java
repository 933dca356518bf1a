package dev.hotbackup.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Key and trust stores made by the JDK's keytool, for TLS tests on loopback. */
public final class TestCertificates {

    public static final String PASSWORD = "changeit";

    private final Path dir;

    public TestCertificates(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /**
     * A PKCS12 key store {@code <name>.p12} holding a key pair and a self-signed certificate for
     * localhost and 127.0.0.1.
     */
    public Path keyStore(String name) throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        Files.deleteIfExists(store);
        keytool(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost, O=" + name,
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        return store;
    }

    /**
     * A PKCS12 trust store {@code <name>.p12} trusting the certificates of the given key stores.
     */
    public Path trustStore(String name, Path... keyStores)
            throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        Files.deleteIfExists(store);
        for (Path ks : keyStores) {
            String alias = ks.getFileName().toString().replace(".p12", "");
            Path cer = dir.resolve(alias + ".cer");
            Files.deleteIfExists(cer);
            keytool(
                    "-exportcert",
                    "-alias",
                    alias,
                    "-keystore",
                    ks.toString(),
                    "-storepass",
                    PASSWORD,
                    "-file",
                    cer.toString());
            keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    alias,
                    "-file",
                    cer.toString(),
                    "-keystore",
                    store.toString(),
                    "-storetype",
                    "PKCS12",
                    "-storepass",
                    PASSWORD);
        }
        return store;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
