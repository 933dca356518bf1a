package dev.hotbackup.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.Chromium;
import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.H2;
import dev.hotbackup.testing.HotBackupProcess;
import dev.hotbackup.testing.Http;
import dev.hotbackup.testing.Ledger;
import dev.hotbackup.testing.Postgres;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Roles from the heartbeat table ({@code hotbackup.role=auto}) with three instances of the same
 * configuration as processes, on a real H2 server and a real PostgreSQL server: the first is the
 * primary and runs the route, the next registers as the standby, the third is refused naming both
 * (exit 2). The primary is killed: the standby takes over under the pair's lease and becomes the
 * primary; the old one comes back as the standby (no preemption). The standby's updates stop
 * (SIGSTOP): the primary deregisters it and says so, the third instance now registers, and the old
 * standby, resumed, finds no room and stops. The primary's configuration reaches the standby
 * without its password; a file only on the primary is a drift, in the activity log and on the
 * standby's status page. The ledger shows the route never ran twice at once.
 */
class PairRolesIT {

    @TempDir Path work;
    Server h2;
    Postgres pg;
    final List<HotBackupProcess> hosts = new ArrayList<>();

    /** A failure anywhere prints what every instance printed and recorded, before they stop. */
    @RegisterExtension
    final AfterTestExecutionCallback tellOnFailure =
            context -> {
                if (context.getExecutionException().isPresent()) {
                    System.out.println("What the instances printed:" + tails());
                }
            };

    @AfterEach
    void stop() throws Exception {
        for (HotBackupProcess h : hosts) {
            h.close();
        }
        if (h2 != null) {
            h2.stop();
        }
        if (pg != null) {
            pg.close();
        }
    }

    private Map<String, String> database(String backend) throws Exception {
        if (backend.equals("h2")) {
            h2Port = FreePorts.next();
            startH2();
            return Map.of(
                    "hotbackup.arbiter.jdbc.url",
                    "jdbc:h2:tcp://localhost:" + h2.getPort() + "/./pair",
                    "hotbackup.arbiter.jdbc.username",
                    "sa");
        }
        pg = Postgres.start(FreePorts.next());
        return Map.of(
                "hotbackup.arbiter.jdbc.url", pg.url(),
                "hotbackup.arbiter.jdbc.username", Postgres.USER,
                "hotbackup.arbiter.jdbc.password", Postgres.PASSWORD);
    }

    int h2Port;

    private void startH2() throws Exception {
        h2 = H2.start(h2Port, work.resolve("h2"));
    }

    /** One instance; every one has the same settings but its host name. */
    private HotBackupProcess host(String name, Map<String, String> db) throws Exception {
        HotBackupProcess h =
                new HotBackupProcess(name, work.resolve(name), HotBackupProcess.packagedJar())
                        .set("hotbackup.role", "auto")
                        .set("hotbackup.link", "jdbc")
                        .set("hotbackup.arbiter", "jdbc")
                        .set("hotbackup.arbiter.lease", "3s")
                        .set("hotbackup.takeover.routes", "ledger")
                        .set("hotbackup.link.jdbc.heartbeat-interval", "250ms")
                        .set("hotbackup.link.jdbc.check-interval", "500ms")
                        .set("hotbackup.link.jdbc.retry-count", "4")
                        .set("hotbackup.config-backup.interval", "1s");
        db.forEach(h::set);
        Files.writeString(
                h.dir().resolve("routes").resolve("ledger.camel.yaml"),
                Ledger.ROUTE_YAML,
                StandardCharsets.UTF_8);
        hosts.add(h);
        return h;
    }

    private List<Ledger.Line> lines() throws Exception {
        return Ledger.read(hosts.stream().map(HotBackupProcess::dir).toArray(Path[]::new));
    }

    private void awaitOnly(String host, long since) throws Exception {
        try {
            await(host + " alone runs the ledger")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> Ledger.onlyBy(lines(), host, since, System.currentTimeMillis()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    host + " is not the only one running the ledger: " + Ledger.segments(lines()));
        }
    }

    private String tails() throws Exception {
        StringBuilder tails = new StringBuilder();
        for (HotBackupProcess h : hosts) {
            List<String> out = h.output().lines().toList();
            tails.append("\n--- ")
                    .append(h.name())
                    .append(":\n")
                    .append(
                            String.join(
                                    "\n", out.subList(Math.max(0, out.size() - 60), out.size())))
                    .append("\n--- activity of ")
                    .append(h.name())
                    .append(":\n")
                    .append(String.join("\n", h.activity().lines()));
        }
        return tails.toString();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void firstIsPrimaryNextStandbyThirdRefusedAndTheStandbyTakesOver(String backend)
            throws Exception {
        Map<String, String> db = database(backend);
        HotBackupProcess a = host("hostA", db).start();
        a.awaitStarted();
        awaitOnly("hostA", 0);
        // the status page of hostB, its keys from the environment: the files stay the same
        int http = FreePorts.next();
        HotBackupProcess b =
                host("hostB", db)
                        .env("HOTBACKUP_HTTP_ENABLED", "true")
                        .env("HOTBACKUP_HTTP_PORT", Integer.toString(http))
                        .env("HOTBACKUP_HTTP_BIND_ADDRESS", "127.0.0.1")
                        .env("HOTBACKUP_HTTP_OBSERVE_PORT", Integer.toString(FreePorts.next()))
                        .start();
        b.awaitStarted();
        b.activity().await(1, "\"event\":\"pair\"", "registered as the standby of pair base");
        a.activity().await(1, "\"event\":\"pair\"", "registered as the primary of pair base");
        // a load balancer's check: either name of the pair stands for the pair's routes
        String active = "http://127.0.0.1:" + http + "/hotbackup/active/";
        HttpResponse<String> standby = Http.get(active + "hostA");
        assertEquals(503, standby.statusCode(), standby.body());
        assertTrue(standby.body().contains("the standby of pair base"), standby.body());

        // the primary's configuration reaches the standby without its password; a file only the
        // primary has is a drift, on the status page too
        Path copy = b.dir().resolve("data/config-backup/current");
        b.activity()
                .until(
                        "the copy of hostA's configuration",
                        Duration.ofSeconds(15),
                        () -> Files.exists(copy.resolve("application.properties")));
        String copied = Files.readString(copy.resolve("application.properties"));
        assertTrue(copied.contains("hotbackup.role=auto"), copied);
        assertTrue(Files.exists(copy.resolve("routes/ledger.camel.yaml")));
        if (backend.equals("postgresql")) {
            assertTrue(a.output().contains("Configuration copied for the standby"), a.output());
            assertTrue(!copied.contains(Postgres.PASSWORD), copied);
            assertTrue(
                    copied.contains("# hotbackup.arbiter.jdbc.password: not copied (a secret)"),
                    copied);
        }
        assertTrue(b.activity().matching("\"event\":\"config\"").isEmpty(), "no drift yet");
        try (Chromium browser = Chromium.start(1200, 500)) {
            browser.open("http://127.0.0.1:" + http + "/hotbackup/");
            b.activity()
                    .until(
                            "the page to show the standby and its copy",
                            Duration.ofSeconds(20),
                            () ->
                                    browser.text("#role").equals("standby")
                                            && browser.text("#config-last").startsWith("gen 0 at ")
                                            && browser.text("#config-drift")
                                                    .equals("same as the primary's"));
            Files.writeString(a.dir().resolve("routes/extra.camel.yaml"), "# only on hostA\n");
            b.activity()
                    .await(
                            1,
                            Duration.ofSeconds(15),
                            "\"event\":\"config\"",
                            "\"state\":\"DRIFT\"",
                            "routes/extra.camel.yaml (only on the primary)");
            b.activity()
                    .until(
                            "the page to show the drift",
                            Duration.ofSeconds(10),
                            () ->
                                    browser.text("#config-drift")
                                            .equals(
                                                    "DRIFT: routes/extra.camel.yaml (only on the"
                                                            + " primary)"));
            browser.screenshot(Path.of("target/status-page-config-drift-" + backend + ".png"));
        }
        Files.delete(a.dir().resolve("routes/extra.camel.yaml"));
        b.activity()
                .await(
                        1,
                        Duration.ofSeconds(15),
                        "\"event\":\"config\"",
                        "\"state\":\"SAME\"",
                        "the primary's again");

        // a third instance with the same configuration: no room, one line naming both
        HotBackupProcess c = host("hostC", db).start();
        assertEquals(2, c.exitCode(Duration.ofSeconds(30)), c.output());
        assertTrue(
                c.output()
                        .matches(
                                "(?s).*hotbackup.role: the pair of config base is complete in the"
                                        + " heartbeat hotbackup_heartbeat: primary hostA \\(updated"
                                        + " \\d+ ms ago\\), standby hostB \\(updated \\d+ ms"
                                        + " ago\\); a third instance is refused.*"),
                c.output());

        // the primary dies: the standby takes over under the pair's lease and is the primary
        long killed = System.currentTimeMillis();
        a.kill();
        awaitOnly("hostB", killed);
        b.activity().await(1, "\"event\":\"signal\"", "\"host\":\"hostA\"", "\"state\":\"DEAD\"");
        b.activity()
                .await(1, "\"event\":\"pair\"", "\"state\":\"PRIMARY\"", "took over hostA/base");
        await("hostB answers 200 for hostA and for itself")
                .atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                Http.get(active + "hostA").statusCode() == 200
                                        && Http.get(active + "hostB").statusCode() == 200);

        // it comes back as the standby: the route stays where it is
        long back = System.currentTimeMillis();
        a.start();
        a.awaitStarted();
        a.activity()
                .awaitAtLeast(1, "\"event\":\"pair\"", "registered as the standby of pair base");
        a.activity()
                .holds(
                        "the route stays on hostB alone",
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(3),
                        () -> Ledger.onlyBy(lines(), "hostB", back, System.currentTimeMillis()));

        // the standby stops updating: the primary deregisters it, and the third one has room
        a.pause();
        b.activity()
                .await(
                        1,
                        Duration.ofSeconds(15),
                        "\"state\":\"DEREGISTERED\"",
                        "standby hostA deregistered: its counter stood at");
        c.start();
        c.awaitStarted();
        c.activity().await(1, "registered as the standby of pair base");

        // the old standby resumes: its row is gone and there is no room for it: it stops, with
        // the exit code of a refused start (a restart would be refused)
        a.resume();
        assertEquals(2, a.exitCode(Duration.ofSeconds(30)), a.output());
        assertTrue(a.output().contains("No room in the pair any more, stopping"), a.output());

        // the standby takes over when the primary stops cleanly
        long stopped = System.currentTimeMillis();
        b.stop();
        awaitOnly("hostC", stopped);
        assertNull(Ledger.problem(Ledger.segments(lines())), Ledger.segments(lines()).toString());
    }

    @org.junit.jupiter.api.Test
    void theDatabaseGoneBrieflyChangesNothingAndGoneLongerMovesTheRoutesOnlyUnderTheLease()
            throws Exception {
        Map<String, String> db = database("h2");
        HotBackupProcess a = host("hostA", db).start();
        a.awaitStarted();
        awaitOnly("hostA", 0);
        HotBackupProcess b = host("hostB", db).start();
        b.awaitStarted();
        b.activity().await(1, "registered as the standby of pair base");

        // shorter than the renew deadline and the threshold: nothing happens
        long from = System.currentTimeMillis();
        Callable<Boolean> nothingHappens =
                () ->
                        b.activity().matching("\"state\":\"DEAD\"").isEmpty()
                                && a.activity().matching("\"state\":\"FENCED\"").isEmpty()
                                && Ledger.count(lines(), "hostB", from, System.currentTimeMillis())
                                        == 0;
        h2.stop();
        a.activity()
                .holds(
                        "no DEAD, no fence, hostA alone while the database is away",
                        Duration.ofMillis(800),
                        Duration.ofSeconds(1),
                        nothingHappens);
        startH2();
        a.activity()
                .holds(
                        "no DEAD, no fence, hostA alone once it is back",
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(5),
                        nothingHappens);

        // longer than the threshold and the lease: the primary fences and is the standby; the
        // standby sees it DEAD but runs nothing while the database is away
        long down = System.currentTimeMillis();
        h2.stop();
        a.activity().await(1, Duration.ofSeconds(10), "\"state\":\"FENCED\"");
        a.activity()
                .await(
                        1,
                        Duration.ofSeconds(10),
                        "\"event\":\"pair\"",
                        "\"state\":\"STANDBY\"",
                        "lost the lease");
        b.activity().await(1, Duration.ofSeconds(10), "\"state\":\"DEAD\"");
        b.activity()
                .holds(
                        "hostB runs nothing without the lease",
                        Duration.ofMillis(1500),
                        Duration.ofSeconds(2),
                        () ->
                                Ledger.count(lines(), "hostB", down, System.currentTimeMillis())
                                        == 0);
        long up = System.currentTimeMillis();
        assertEquals(0, Ledger.count(lines(), "hostB", down, up), "ran without the lease");
        startH2();

        // back: exactly one of them runs the route, and says it is the primary
        String[] runner = new String[1];
        await("exactly one of them runs the route")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            for (String h : List.of("hostA", "hostB")) {
                                if (Ledger.onlyBy(lines(), h, up, System.currentTimeMillis())) {
                                    runner[0] = h;
                                }
                            }
                            return runner[0] != null;
                        });
        HotBackupProcess primary = runner[0].equals("hostA") ? a : b;
        List<String> roles = primary.activity().matching("\"event\":\"pair\"");
        assertTrue(roles.get(roles.size() - 1).contains("\"state\":\"PRIMARY\""), roles.toString());
        assertNull(Ledger.problem(Ledger.segments(lines())), Ledger.segments(lines()).toString());
    }
}
