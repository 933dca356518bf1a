package dev.hotbackup.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A throwaway PostgreSQL server from Debian's {@code postgresql} package: a new cluster in a
 * temporary folder, started as the {@code postgres} user when running as root ({@code initdb}
 * refuses root), optionally inside a network namespace, stopped and deleted on {@link #close()}. It
 * has the database {@code hotbackup} owned by the user {@code hotbackup} (password {@link
 * #PASSWORD}), reached over TCP with password authentication.
 */
public final class Postgres implements AutoCloseable {

    public static final String USER = "hotbackup";
    public static final String PASSWORD = "hotbackup-test-password";
    private static final String SUPERUSER_PASSWORD = "postgres-test-password";

    private final Path dir;
    private final String address;
    private final int port;
    private final List<String> prefix;
    private final Path bin;
    private Process server;

    private Postgres(Path dir, String address, int port, List<String> prefix, Path bin) {
        this.dir = dir;
        this.address = address;
        this.port = port;
        this.prefix = prefix;
        this.bin = bin;
    }

    /** A server on loopback. */
    public static Postgres start(int port) throws Exception {
        return start("127.0.0.1", port, List.of());
    }

    /**
     * @param address the address it listens on
     * @param prefix what runs the server's commands elsewhere, such as {@code ip netns exec arb}
     */
    public static Postgres start(String address, int port, List<String> prefix) throws Exception {
        Path bin = binaries();
        // in /tmp whatever java.io.tmpdir is: the server runs as user postgres, who cannot enter
        // a clone's target/ (a folder made by mktemp -d is root's alone); close() deletes it
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "hotbackup-pg");
        Postgres pg = new Postgres(dir, address, port, prefix, bin);
        try {
            pg.init();
            pg.startServer();
            pg.createUser();
            return pg;
        } catch (Exception | Error e) {
            pg.close();
            throw e;
        }
    }

    /** The newest installed PostgreSQL server, or a failure saying how to get one. */
    static Path binaries() {
        Path lib = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(lib)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(
                            Comparator.comparing(
                                    b -> Integer.parseInt(b.getParent().getFileName().toString())))
                    .orElseThrow();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "PostgreSQL's server binaries are not installed (/usr/lib/postgresql/*/bin):"
                            + " run scripts/ensure-test-tools, which installs Debian's postgresql");
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private List<String> asPostgres(String... command) {
        List<String> c = new ArrayList<>(prefix);
        if (root()) {
            // setpriv execs the command: the process is the server itself, not a parent of it
            c.addAll(
                    List.of(
                            "setpriv",
                            "--reuid=postgres",
                            "--regid=postgres",
                            "--init-groups",
                            "--reset-env",
                            "--"));
        }
        c.addAll(List.of(command));
        return c;
    }

    private void init() throws Exception {
        if (root()) {
            run(List.of("chown", "postgres:postgres", dir.toString()));
        }
        Path pw = dir.resolve("pw");
        Files.writeString(pw, SUPERUSER_PASSWORD + "\n", StandardCharsets.UTF_8);
        if (root()) {
            run(List.of("chown", "postgres:postgres", pw.toString()));
        }
        run(
                asPostgres(
                        bin.resolve("initdb").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-U",
                        "postgres",
                        "--pwfile=" + pw,
                        "--auth-local=trust",
                        "--auth-host=scram-sha-256",
                        "-E",
                        "UTF8",
                        "--no-sync"));
        Files.writeString(
                dir.resolve("data/pg_hba.conf"),
                "local all all trust\nhost all all 0.0.0.0/0 scram-sha-256\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
    }

    private void startServer() throws Exception {
        List<String> c =
                asPostgres(
                        bin.resolve("postgres").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-p",
                        Integer.toString(port),
                        "-k",
                        dir.toString(),
                        "-c",
                        "listen_addresses=" + address,
                        "-c",
                        "fsync=off",
                        "-c",
                        "synchronous_commit=off",
                        "-c",
                        "full_page_writes=off",
                        "-c",
                        "max_connections=50");
        server =
                new ProcessBuilder(c)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("server.log").toFile())
                        .start();
        // over the server's Unix socket: it answers from any network namespace
        Exception[] last = new Exception[1];
        try {
            await("PostgreSQL accepts connections")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () -> {
                                if (!server.isAlive()) {
                                    throw new IllegalStateException(
                                            "PostgreSQL did not start: "
                                                    + Files.readString(dir.resolve("server.log")));
                                }
                                try {
                                    run(
                                            asPostgres(
                                                    bin.resolve("pg_isready").toString(),
                                                    "-h",
                                                    dir.toString(),
                                                    "-p",
                                                    Integer.toString(port),
                                                    "-q"));
                                    return true;
                                } catch (Exception e) {
                                    last[0] = e;
                                    return false;
                                }
                            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(
                    "PostgreSQL did not accept connections within 60 s", last[0]);
        }
    }

    private void createUser() throws Exception {
        sql("postgres", "CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
        sql("postgres", "CREATE DATABASE hotbackup OWNER " + USER);
    }

    /** Runs SQL as the superuser, over the Unix socket. */
    private void sql(String database, String sql) throws Exception {
        run(
                asPostgres(
                        bin.resolve("psql").toString(),
                        "-h",
                        dir.toString(),
                        "-p",
                        Integer.toString(port),
                        "-U",
                        "postgres",
                        "-d",
                        database,
                        "-v",
                        "ON_ERROR_STOP=1",
                        "-q",
                        "-c",
                        sql));
    }

    /** {@code jdbc:postgresql://address:port/hotbackup}. */
    public String url() {
        return "jdbc:postgresql://" + address + ":" + port + "/hotbackup";
    }

    public int port() {
        return port;
    }

    /** Runs SQL as the superuser in the database {@code hotbackup}. */
    public void sql(String sql) throws Exception {
        sql("hotbackup", sql);
    }

    /** The server process, for SIGSTOP and SIGCONT. */
    public long pid() {
        return server.pid();
    }

    @Override
    public void close() {
        if (server != null && server.isAlive()) {
            try {
                run(
                        asPostgres(
                                bin.resolve("pg_ctl").toString(),
                                "-D",
                                dir.resolve("data").toString(),
                                "-m",
                                "immediate",
                                "-w",
                                "stop"));
            } catch (Exception e) {
                // killed below
            }
            server.destroyForcibly();
            try {
                server.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder
        }
    }

    private static void run(List<String> command) throws Exception {
        Path out = Files.createTempFile("hotbackup-cmd", ".log");
        try {
            Process p =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(out.toFile())
                            .start();
            if (!p.waitFor(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(
                        command + " failed (" + p.exitValue() + "): " + Files.readString(out));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
