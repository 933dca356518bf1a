package dev.hotbackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.HotBackupProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packaged jar started as a user would, once per mistake: each is refused with exit code 2 and
 * one line on stderr naming the key (and the value or port), with no stack trace and no misleading
 * "shutdown hook triggered by SIGTERM". The first cases are mistakes that used to leave an instance
 * that started fine and would never take over.
 */
class MisconfigurationIT {

    /** A port held by this test, so that an instance configured to listen on it cannot. */
    private static ServerSocket busy;

    @TempDir static Path work;

    /** One mistake: what the user wrote, and what stderr must say about it. */
    record Case(
            String name,
            Map<String, String> properties,
            List<String> args,
            Map<String, String> environment,
            List<String> jvmArgs,
            Map<String, String> routeFiles,
            int exit,
            List<String> stderr) {

        Case(String name, Map<String, String> properties, String... stderr) {
            this(name, properties, List.of(), Map.of(), List.of(), Map.of(), 2, List.of(stderr));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void holdAPort() throws IOException {
        busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterAll
    static void release() throws IOException {
        busy.close();
    }

    /** A working backup on loopback; each case changes one thing. */
    static Map<String, String> backup(String... keyValues) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("hotbackup.host", "backupB");
        p.put("hotbackup.listener.port", free());
        p.put("hotbackup.listener.bind-address", "127.0.0.1");
        p.put("hotbackup.takeover.routes", "orders");
        p.put("hotbackup.secret", "misconfiguration-secret");
        p.put("hotbackup.http.enabled", "false");
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                p.remove(keyValues[i]);
            } else {
                p.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return p;
    }

    private static String free() {
        return Integer.toString(FreePorts.next());
    }

    static Stream<Case> cases() {
        String port = Integer.toString(busy.getLocalPort());
        return Stream.of(
                new Case(
                        "a misspelled listener port",
                        backup("hotbackup.listener.port", null, "hotbackup.listner.port", "7800"),
                        "hotbackup.listner.port: no such key; did you mean"
                                + " hotbackup.listener.port?"),
                new Case(
                        "a misspelled backup location",
                        Map.of(
                                "hotbackup.backup-locaton", "127.0.0.1:7800",
                                "hotbackup.secret", "misconfiguration-secret"),
                        "hotbackup.backup-locaton: no such key; did you mean"
                                + " hotbackup.backup-location?"),
                new Case(
                        "a duration in capitals",
                        backup("hotbackup.takeover.failback-delay", "30S"),
                        "hotbackup.takeover.failback-delay: '30S' is not a duration",
                        "did you mean 30s?"),
                new Case(
                        "a duration without a unit",
                        backup("hotbackup.listener.threshold", "5000"),
                        "hotbackup.listener.threshold: '5000' is not a duration: it has no unit"),
                new Case(
                        "a negative duration",
                        backup("hotbackup.listener.threshold", "-5s"),
                        "hotbackup.listener.threshold: '-5s' is not a duration"),
                new Case(
                        "takeover routes where no listener runs",
                        backup("hotbackup.listener.port", null),
                        "hotbackup.takeover.routes: lists takeover routes, but no Backup listener"
                                + " runs here"),
                new Case(
                        "a listener that would do nothing",
                        backup("hotbackup.takeover.routes", null),
                        "hotbackup.takeover.routes: is empty",
                        "would see a host die and do nothing about it"),
                new Case(
                        "recipients without a mail server",
                        backup("hotbackup.mail.to", "ops@example.com"),
                        "hotbackup.mail.host: is empty, so no mail would be sent to"
                                + " ops@example.com"),
                new Case(
                        "a short secret",
                        backup("hotbackup.secret", "hunter2"),
                        "hotbackup.secret: is 7 characters long; use at least 16"),
                new Case(
                        "a per-host key without a config",
                        backup("hotbackup.takeover.routes.liveZ", "orders"),
                        "hotbackup.takeover.routes.liveZ: must end in <host>/<config>, for example"
                                + " hotbackup.takeover.routes.liveZ/base"),
                new Case(
                        "the listener port in use",
                        backup("hotbackup.listener.port", port),
                        "hotbackup.listener.port: cannot listen on 127.0.0.1:" + port + ": in use"),
                new Case(
                        "the HTTP port in use",
                        backup(
                                "hotbackup.http.enabled",
                                "true",
                                "hotbackup.http.port",
                                port,
                                "hotbackup.http.observe-port",
                                free()),
                        "hotbackup.http.port: cannot listen on 0.0.0.0:" + port + ": in use"),
                new Case(
                        "the observe port in use",
                        backup(
                                "hotbackup.http.enabled",
                                "true",
                                "hotbackup.http.port",
                                free(),
                                "hotbackup.http.bind-address",
                                "127.0.0.1",
                                "hotbackup.http.observe-port",
                                port),
                        "hotbackup.http.observe-port: cannot listen on 127.0.0.1:"
                                + port
                                + ": in use"),
                new Case(
                        "a bind address of another host",
                        backup("hotbackup.listener.bind-address", "192.0.2.1"),
                        "hotbackup.listener.bind-address: cannot listen on 192.0.2.1:",
                        "not an address of this host"),
                new Case(
                        "a takeover route that does not exist",
                        backup("hotbackup.takeover.routes", "nosuch"),
                        "hotbackup.takeover.routes: no route has the id 'nosuch'"),
                new Case(
                        "TLS stores that cannot be read",
                        backup(
                                "hotbackup.tls.enabled", "true",
                                "hotbackup.tls.keystore", "missing.p12",
                                "hotbackup.tls.truststore", "missing.p12"),
                        "hotbackup.tls.keystore / hotbackup.tls.truststore: cannot load"
                                + " missing.p12"),
                new Case(
                        "a routes folder that does not exist",
                        backup("camel.main.routes-include-pattern", "file:myroutes/*.camel.yaml"),
                        "camel.main.routes-include-pattern: the folder myroutes/ of"
                                + " file:myroutes/*.camel.yaml does not exist"),
                new Case(
                        "an unknown DSL",
                        backup("hotbackup.dsl", "json"),
                        "hotbackup.dsl: 'json' is not one of yaml, xml"),
                new Case(
                        "a user route with a pack route id",
                        backup(),
                        List.of(),
                        Map.of(),
                        List.of(),
                        Map.of(
                                "backup-listener.camel.yaml",
                                "- route:\n    id: backup-listener\n    from:\n"
                                        + "      uri: direct:mine\n      steps:\n"
                                        + "        - to: log:mine\n"),
                        2,
                        List.of(
                                "routes/backup-listener.camel.yaml defines the route"
                                        + " 'backup-listener', one of the pack's own routes")),
                new Case(
                        "a takeover route in a file that is not read",
                        backup("hotbackup.takeover.routes", "ledger"),
                        List.of(),
                        Map.of(),
                        List.of(),
                        Map.of(
                                "billing.yaml",
                                "- route:\n    id: billing\n    autoStartup: false\n    from:\n"
                                        + "      uri: direct:billing\n      steps:\n"
                                        + "        - to: log:billing\n",
                                "ledger.yml",
                                "- route:\n    id: ledger\n    from:\n"
                                        + "      uri: direct:ledger\n      steps:\n"
                                        + "        - to: log:ledger\n"),
                        2,
                        List.of(
                                // billing.yaml is read (every *.yaml), ledger.yml is named
                                "no route has the id 'ledger'; the routes loaded from routes/ are"
                                        + " [billing, orders]; not read: [routes/ledger.yml] (route"
                                        + " files are read from routes/ itself and end in .yaml"
                                        + " or .xml)")),
                new Case(
                        "a misspelled environment variable",
                        backup(),
                        List.of(),
                        Map.of("HOTBACKUP_LISTNER_THRESHOLD", "5s"),
                        List.of(),
                        Map.of(),
                        2,
                        List.of(
                                "environment variable HOTBACKUP_LISTNER_THRESHOLD: no such key;"
                                        + " did you mean HOTBACKUP_LISTENER_THRESHOLD")),
                new Case(
                        "a misspelled -D key",
                        backup(),
                        List.of(),
                        Map.of(),
                        List.of("-Dhotbackup.listener.treshold=5s"),
                        Map.of(),
                        2,
                        List.of(
                                "hotbackup.listener.treshold: no such key; did you mean"
                                        + " hotbackup.listener.threshold?")),
                new Case(
                        "an unknown command-line option",
                        backup(),
                        List.of("--backup"),
                        Map.of(),
                        List.of(),
                        Map.of(),
                        2,
                        List.of("unknown option '--backup'", "Usage: java -jar")),
                new Case(
                        "another unknown option",
                        backup(),
                        List.of("-x"),
                        Map.of(),
                        List.of(),
                        Map.of(),
                        2,
                        List.of("unknown option '-x'", "-b, -backup")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithOneClearLine(Case c) throws Exception {
        Run run = start(c);
        assertEquals(c.exit(), run.exit, run.toString());
        for (String fragment : c.stderr()) {
            assertTrue(run.err.contains(fragment), "stderr lacks '" + fragment + "':\n" + run);
        }
        assertNoStackTrace(run);
        if (!c.args().isEmpty()) {
            assertFalse(run.out.contains("Apache Camel"), "started anyway:\n" + run);
        }
    }

    @Test
    void helpIsPrintedWithExitCodeZero() throws Exception {
        Run run =
                start(
                        new Case(
                                "help",
                                backup(),
                                List.of("--help"),
                                Map.of(),
                                List.of(),
                                Map.of(),
                                0,
                                List.of()));
        assertEquals(0, run.exit, run.toString());
        assertTrue(run.out.contains("Usage: java -jar camel-hot-backup.jar [-b]"), run.toString());
        assertEquals("", run.err, run.toString());
    }

    @Test
    void eachProblemIsItsOwnLine() throws Exception {
        Run run =
                start(
                        new Case(
                                "three mistakes",
                                backup(
                                        "hotbackup.listner.port", "7800",
                                        "hotbackup.listener.threshold", "abc",
                                        "hotbackup.mail.to", "ops@example.com")));
        assertEquals(2, run.exit, run.toString());
        List<String> lines = run.err.lines().toList();
        assertEquals(4, lines.size(), run.toString());
        assertTrue(lines.get(0).startsWith("camel-hot-backup did not start: 3 problems"), run.err);
        assertNoStackTrace(run);
    }

    /**
     * The pack's own routes are in the jar: a working directory with no routes/ at all (a user who
     * copied only the jar and the properties) still runs a Backup listener.
     */
    @Test
    void withoutARoutesFolderTheListenerStillRuns() throws Exception {
        Path dir = Files.createDirectories(work.resolve("no-routes"));
        String port = free();
        Files.writeString(
                dir.resolve("application.properties"),
                "hotbackup.listener.port="
                        + port
                        + "\nhotbackup.listener.bind-address=127.0.0.1\n"
                        + "hotbackup.listener.signals-to=log:signals\n");
        Process p =
                new ProcessBuilder(java(dir, List.of(), List.of()))
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("out.txt").toFile())
                        .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(dir.resolve("out.txt")).contains("Started backup-listener")) {
                assertTrue(p.isAlive(), Files.readString(dir.resolve("out.txt")));
                assertTrue(
                        System.nanoTime() < deadline,
                        "no listener after 30 s:\n" + Files.readString(dir.resolve("out.txt")));
                TimeUnit.MILLISECONDS.sleep(50);
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(port))) {
                assertTrue(s.isConnected());
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void assertNoStackTrace(Run run) {
        for (String text : List.of(run.out, run.err)) {
            assertFalse(text.contains("\tat "), "a stack trace:\n" + run);
            assertFalse(text.contains("Exception"), "an exception's name:\n" + run);
        }
        assertFalse(run.out.contains("triggered by SIGTERM"), run.toString());
    }

    /** What one start printed, and how it ended. */
    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /**
     * The packaged jar run in {@code dir}: a quick start (C1 only), and vert.x's file cache in that
     * folder, since a killed instance cannot remove it.
     */
    private static List<String> java(Path dir, List<String> jvmArgs, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dvertx.cacheDirBase=" + dir.resolve("vertx-cache"));
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(HotBackupProcess.packagedJar().toString());
        command.addAll(args);
        return command;
    }

    private static Run start(Case c) throws Exception {
        Path dir = Files.createDirectories(work.resolve(c.name().replace(' ', '-')));
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(
                routes.resolve("orders.camel.yaml"),
                "- route:\n    id: orders\n    autoStartup: false\n    from:\n"
                        + "      uri: direct:orders\n      steps:\n        - to: log:orders\n");
        for (Map.Entry<String, String> f : c.routeFiles().entrySet()) {
            Files.writeString(routes.resolve(f.getKey()), f.getValue());
        }
        StringBuilder props = new StringBuilder();
        c.properties().forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
        Files.writeString(dir.resolve("application.properties"), props);
        ProcessBuilder b =
                new ProcessBuilder(java(dir, c.jvmArgs(), c.args()))
                        .directory(dir.toFile())
                        .redirectOutput(dir.resolve("out.txt").toFile())
                        .redirectError(dir.resolve("err.txt").toFile());
        b.environment().keySet().removeIf(k -> k.startsWith("HOTBACKUP_"));
        b.environment().putAll(c.environment());
        Process p = b.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError(
                        c.name()
                                + ": still running after 60 s, it was not refused:\n"
                                + Files.readString(dir.resolve("out.txt")));
            }
            return new Run(
                    p.exitValue(),
                    Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                    Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }
}
