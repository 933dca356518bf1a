package dev.hotbackup.link.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.Postgres;
import dev.hotbackup.testing.TwoDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The configuration backup between a primary and its standby through a real PostgreSQL server and a
 * real H2 server: what the include and exclude lists name travels, secrets and the host name do not
 * (neither in the table nor in the copy), a drift is reported when it starts and when it ends, and
 * a copy interrupted on either side leaves the standby with the whole previous copy.
 */
class ConfigBackupTest extends TwoDatabases {

    static final String SECRET = "s3cret-never-travels";

    @TempDir Path dir;

    /** url, user, password */
    Stream<Arguments> backends() {
        return Stream.of(
                Arguments.of(
                        "postgresql", new String[] {pg.url(), Postgres.USER, Postgres.PASSWORD}),
                Arguments.of(
                        "h2",
                        new String[] {
                            "jdbc:h2:tcp://localhost:" + h2.getPort() + "/./config", "sa", ""
                        }));
    }

    private HeartbeatTable table(String[] db, String t, String host) throws Exception {
        HeartbeatTable table =
                new HeartbeatTable(db[0], db[1], db[2], t, 2000, host, "base", "run-" + host)
                        .threshold(5000, 3)
                        .withConfigTable();
        table.open();
        return table;
    }

    private static void write(Path base, String path, String text) throws Exception {
        Path f = base.resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text, StandardCharsets.UTF_8);
    }

    private static String read(Path p) throws Exception {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void theIncludedFilesTravelWithoutSecretsAndADriftIsReportedWhenItStartsAndEnds(
            String name, String[] db) throws Exception {
        String t = "cfg_t" + (++tables);
        Path a = Files.createDirectories(dir.resolve(name + t + "/a"));
        Path b = Files.createDirectories(dir.resolve(name + t + "/b"));
        String props =
                "hotbackup.host=hostA\n"
                        + "hotbackup.role=auto\n"
                        + "hotbackup.arbiter.jdbc.password="
                        + SECRET
                        + "\n"
                        + "orders.api-token: "
                        + SECRET
                        + "\n"
                        + "orders.url=https://shop?user=me&password="
                        + SECRET
                        + "&x=1\n";
        write(a, "application.properties", props);
        write(a, "routes/orders.camel.yaml", "- route:\n    id: orders\n");
        write(a, "routes/local/only-here.camel.yaml", "- route:\n    id: local\n");
        write(a, "notes.txt", "not in the include list\n");
        write(
                a,
                "routes/db.camel.yaml",
                "- beans:\n    - name: ds\n      properties:\n        password: " + SECRET + "\n");
        try (HeartbeatTable ta = table(db, t, "hostA");
                HeartbeatTable tb = table(db, t, "hostB")) {
            assertEquals(PairRole.Role.PRIMARY, ta.register(false, 50).current());
            assertEquals(PairRole.Role.STANDBY, tb.register(false, 50).current());
            List<String> include = List.of("routes/", "application.properties");
            List<String> exclude = List.of("routes/local/");
            ConfigBackup primary =
                    new ConfigBackup(ta, "hostA", "base", a, include, exclude, a.resolve("copy"));
            ConfigBackup standby =
                    new ConfigBackup(tb, "hostB", "base", b, include, exclude, b.resolve("copy"));
            List<String> events = new ArrayList<>();
            standby.eventsTo((state, detail) -> events.add(state + " " + detail));

            primary.run();
            assertNull(primary.view().get("error"), "" + primary.view());
            assertEquals(0L, primary.view().get("generation"));
            // nothing of the secret is in the table
            try (Connection c = DriverManager.getConnection(db[0], db[1], db[2]);
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT path, content FROM " + t + "_config")) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                    String content =
                            rs.getString(1).isEmpty()
                                    ? rs.getString(2)
                                    : new String(
                                            Base64.getDecoder().decode(rs.getString(2)),
                                            StandardCharsets.UTF_8);
                    assertFalse(content.contains(SECRET), rs.getString(1) + ": " + content);
                }
                assertEquals(4, rows, "three files and the manifest");
            }

            standby.run();
            Path current = b.resolve("copy/current");
            assertEquals(
                    "# hotbackup.host: not copied (each host has its own)\n"
                            + "hotbackup.role=auto\n"
                            + "# hotbackup.arbiter.jdbc.password: not copied (a secret)\n"
                            + "# orders.api-token: not copied (a secret)\n"
                            + "orders.url=https://shop?user=me&password=<not copied: secret>&x=1\n",
                    read(current.resolve("application.properties")));
            assertTrue(
                    read(current.resolve("routes/db.camel.yaml"))
                            .contains("password: \"<not copied: secret>\""));
            assertTrue(Files.exists(current.resolve("routes/orders.camel.yaml")));
            assertFalse(Files.exists(current.resolve("routes/local")), "excluded");
            assertFalse(Files.exists(current.resolve("notes.txt")), "not included");
            Map<String, Object> v = standby.view();
            assertEquals("receives", v.get("direction"));
            assertEquals("hostA", v.get("copiedFrom"));
            assertNotNull(v.get("lastCopy"));
            assertEquals(Boolean.TRUE, v.get("drift"), "hostB has none of these files: " + v);
            assertEquals(1, events.size(), events.toString());
            assertTrue(
                    events.get(0)
                            .startsWith(
                                    "DRIFT this host's configuration differs from the primary's"
                                            + " copy (hostA): application.properties (only on the"
                                            + " primary)"),
                    events.toString());

            // the same files on hostB, with its own host name and another password: no drift
            write(
                    b,
                    "application.properties",
                    props.replace("hostA", "hostB").replace(SECRET, "other"));
            write(b, "routes/orders.camel.yaml", "- route:\n    id: orders\n");
            write(
                    b,
                    "routes/db.camel.yaml",
                    "- beans:\n    - name: ds\n      properties:\n        password: other\n");
            standby.run();
            assertEquals(Boolean.FALSE, standby.view().get("drift"), "" + standby.view());
            assertEquals(2, events.size(), events.toString());
            assertTrue(events.get(1).startsWith("SAME "), events.toString());
            standby.run();
            assertEquals(2, events.size(), "reported once: " + events);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aCopyInterruptedOnEitherSideLeavesTheWholePreviousCopy(String name, String[] db)
            throws Exception {
        String t = "cut_t" + (++tables);
        Path a = Files.createDirectories(dir.resolve(name + t + "/a"));
        Path b = Files.createDirectories(dir.resolve(name + t + "/b"));
        for (int i = 0; i < 4; i++) {
            write(a, "routes/r" + i + ".camel.yaml", "# version 1 of r" + i + "\n");
        }
        try (HeartbeatTable ta = table(db, t, "hostA");
                HeartbeatTable tb = table(db, t, "hostB")) {
            ta.register(false, 50);
            tb.register(false, 50);
            List<String> include = List.of("routes/");
            ConfigBackup primary =
                    new ConfigBackup(ta, "hostA", "base", a, include, List.of(), a.resolve("copy"));
            ConfigBackup standby =
                    new ConfigBackup(tb, "hostB", "base", b, include, List.of(), b.resolve("copy"));
            primary.run();
            standby.run();
            Path current = b.resolve("copy/current");
            assertEquals("# version 1 of r3\n", read(current.resolve("routes/r3.camel.yaml")));

            // the primary dies after two of five rows of the next copy: nothing of it is seen
            for (int i = 0; i < 4; i++) {
                write(a, "routes/r" + i + ".camel.yaml", "# version 2 of r" + i + "\n");
            }
            int[] rows = {0};
            primary.afterRow =
                    () -> {
                        if (++rows[0] == 2) {
                            throw new IllegalStateException("the primary died mid-copy");
                        }
                    };
            primary.run();
            assertEquals("the primary died mid-copy", primary.view().get("error"));
            standby.run();
            assertEquals(0L, standby.view().get("generation"));
            for (int i = 0; i < 4; i++) {
                assertEquals(
                        "# version 1 of r" + i + "\n",
                        read(current.resolve("routes/r" + i + ".camel.yaml")));
            }

            // written whole; the standby stops after two of four files: the old copy stays whole
            primary.afterRow = () -> {};
            primary.run();
            assertEquals(1L, primary.view().get("generation"), "" + primary.view());
            int[] files = {0};
            standby.afterFile =
                    () -> {
                        if (++files[0] == 2) {
                            throw new IllegalStateException("the standby stopped mid-copy");
                        }
                    };
            standby.run();
            assertEquals("the standby stopped mid-copy", standby.view().get("error"));
            for (int i = 0; i < 4; i++) {
                assertEquals(
                        "# version 1 of r" + i + "\n",
                        read(current.resolve("routes/r" + i + ".camel.yaml")));
            }

            // the next round completes it, and nothing half-written is left behind
            standby.afterFile = () -> {};
            standby.run();
            assertNull(standby.view().get("error"));
            assertEquals(1L, standby.view().get("generation"));
            for (int i = 0; i < 4; i++) {
                assertEquals(
                        "# version 2 of r" + i + "\n",
                        read(current.resolve("routes/r" + i + ".camel.yaml")));
            }
            try (Stream<Path> left = Files.list(b.resolve("copy"))) {
                assertEquals(
                        List.of("current", "gen-1"),
                        left.map(p -> p.getFileName().toString()).sorted().toList());
            }

            // a standby that restarts knows which copy it has
            ConfigBackup again =
                    new ConfigBackup(tb, "hostB", "base", b, include, List.of(), b.resolve("copy"));
            assertEquals(1L, again.view().get("generation"));
        }
    }
}
