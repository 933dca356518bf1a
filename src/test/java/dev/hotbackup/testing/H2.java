package dev.hotbackup.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.tools.Server;

/** A real H2 server for a test: TCP on {@code port}, its databases in {@code dir}. */
public final class H2 {

    private H2() {}

    /**
     * A new folder for a server's databases under target/h2/, so that test runs leave nothing in
     * the system's temporary folder ({@code mvn clean} removes them with the rest of the build).
     */
    public static Path newDir() throws java.io.IOException {
        return Files.createDirectories(
                Path.of("target", "h2", java.util.UUID.randomUUID().toString()));
    }

    /** Starts the server; a database is created on first use. */
    public static Server start(int port, Path dir) throws Exception {
        Files.createDirectories(dir);
        return Server.createTcpServer(
                        "-tcpPort",
                        Integer.toString(port),
                        "-baseDir",
                        dir.toString(),
                        "-ifNotExists")
                .start();
    }
}
