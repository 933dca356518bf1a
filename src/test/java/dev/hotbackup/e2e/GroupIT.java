package dev.hotbackup.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.Chromium;
import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.H2;
import dev.hotbackup.testing.Http;
import dev.hotbackup.testing.LedgerGroup;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An active-active group of three as real processes (hostA, hostB, hostC, in that preference order)
 * with a jdbc arbiter on an H2 server: each member runs its own work, hostA the master's importer.
 * Killed, hung, restarted and moved by an operator, every route is run by one process at a time
 * (the ledgers' epochs prove it), and the processing map in the API agrees with the ledgers.
 */
class GroupIT {

    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir Path work;
    Server h2;

    @BeforeEach
    void database() throws Exception {
        h2 = H2.start(FreePorts.next(), work.resolve("h2"));
    }

    @AfterEach
    void stopDatabase() {
        if (h2 != null) {
            h2.stop();
        }
    }

    private Map<String, String> keys(String... more) {
        Map<String, String> k = new HashMap<>();
        k.put("hotbackup.arbiter", "jdbc");
        k.put("hotbackup.arbiter.jdbc.url", "jdbc:h2:tcp://localhost:" + h2.getPort() + "/./ha");
        k.put("hotbackup.arbiter.jdbc.username", "sa");
        k.put("hotbackup.takeover.failback-delay", "1s");
        for (int i = 0; i < more.length; i += 2) {
            k.put(more[i], more[i + 1]);
        }
        return k;
    }

    @Test
    void killHangRestartAndMoveKeepEachRouteOnOneMember() throws Exception {
        try (LedgerGroup g =
                new LedgerGroup(
                        work, List.of("hostA", "hostB", "hostC"), keys(), Duration.ofSeconds(3))) {
            g.startFirstThenOthers(WAIT);
            long t0 = System.currentTimeMillis();
            for (String h : List.of("hostA", "hostB", "hostC")) {
                g.awaitRunBy("work-" + h, h, t0, WAIT);
            }
            g.awaitRunBy(LedgerGroup.MASTER_ROUTE, "hostA", t0, WAIT);
            assertMapMatchesLedgers(g, "hostB");

            // the master dies: its work and the master role go to hostB, first by preference
            g.member("hostA").kill();
            long t1 = System.currentTimeMillis();
            g.awaitRunBy("work-hostA", "hostB", t1, WAIT);
            g.awaitRunBy(LedgerGroup.MASTER_ROUTE, "hostB", t1, WAIT);
            g.awaitRunBy("work-hostC", "hostC", t1, WAIT);
            assertMapMatchesLedgers(g, "hostC");
            groupViewInChromium(g);
            assertTrue(
                    g.member("hostB").activity().signals("hostA").stream()
                            .anyMatch(l -> l.contains("DEAD")),
                    "hostB saw hostA DEAD: " + g.member("hostB").activity().signals("hostA"));

            // it comes back: its work returns after the failback delay; the master stays on hostB
            g.member("hostA").start().awaitStarted();
            long t2 = System.currentTimeMillis();
            g.awaitRunBy("work-hostA", "hostA", t2, WAIT);
            g.awaitRunBy(LedgerGroup.MASTER_ROUTE, "hostB", t2, WAIT);
            assertMapMatchesLedgers(g, "hostA");

            // an operator moves hostC's work to hostA, then back
            HttpResponse<String> moved =
                    Http.post(
                            g.moveUrl("hostB", "work=hostC&to=hostA"), LedgerGroup.TOKEN, "alice");
            assertEquals(200, moved.statusCode(), moved.body());
            long t3 = System.currentTimeMillis();
            g.awaitRunBy("work-hostC", "hostA", t3, WAIT);
            assertMapMatchesLedgers(g, "hostC");
            assertTrue(
                    !g.member("hostB").activity().matching("group-move", "alice").isEmpty(),
                    "the move is in the activity log with who asked");
            HttpResponse<String> back =
                    Http.post(g.moveUrl("hostA", "work=hostC&to=hostC"), LedgerGroup.TOKEN, "bob");
            assertEquals(200, back.statusCode(), back.body());
            g.awaitRunBy("work-hostC", "hostC", System.currentTimeMillis(), WAIT);
            // and moves the master role from hostB to hostC
            HttpResponse<String> master =
                    Http.post(
                            g.moveUrl("hostA", "master=true&to=hostC"), LedgerGroup.TOKEN, "carol");
            assertEquals(200, master.statusCode(), master.body());
            g.awaitRunBy(LedgerGroup.MASTER_ROUTE, "hostC", System.currentTimeMillis(), WAIT);
            assertMapMatchesLedgers(g, "hostB");

            // two die at once: hostA, the only survivor, runs everything
            g.member("hostB").kill();
            g.member("hostC").kill();
            long t4 = System.currentTimeMillis();
            for (String r : g.routes()) {
                g.awaitRunBy(r, "hostA", t4, WAIT);
            }
            assertTrue(
                    !g.member("hostA")
                            .activity()
                            .matching(
                                    "group-move",
                                    "the move of the master role of hub to hostC ends")
                            .isEmpty(),
                    "the operator's move ended with its target");
            HttpResponse<String> refused =
                    Http.post(g.moveUrl("hostA", "work=hostA&to=hostB"), LedgerGroup.TOKEN, "eve");
            assertEquals(409, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("hostB is not alive here"), refused.body());

            // they come back; then one hangs (SIGSTOP): its work moves, and returns once it resumes
            g.member("hostB").start();
            g.member("hostC").start();
            g.member("hostB").awaitStarted();
            g.member("hostC").awaitStarted();
            long t5 = System.currentTimeMillis();
            g.awaitRunBy("work-hostB", "hostB", t5, WAIT);
            g.awaitRunBy("work-hostC", "hostC", t5, WAIT);
            g.member("hostC").pause();
            long t6 = System.currentTimeMillis();
            try {
                g.awaitRunBy("work-hostC", "hostA", t6, WAIT);
            } finally {
                g.member("hostC").resume();
            }
            g.awaitRunBy("work-hostC", "hostC", System.currentTimeMillis(), WAIT);
            assertMapMatchesLedgers(g, "hostB");
            g.assertOneAtATime();
        }
    }

    /**
     * hostB's status page in headless Chromium, hostA just killed: hostA's card DEAD (red), the
     * MASTER badge on hostB, and the processing map saying hostA's work runs on hostB.
     */
    private static void groupViewInChromium(LedgerGroup g) throws Exception {
        try (Chromium browser = Chromium.start(1100, 900)) {
            browser.open(g.statusUrl("hostB").replace("/status", "/"));
            String a = "#group article.member[data-member='hostA']";
            String row = "#group tr[data-unit='work/hostA']";
            // the page re-renders every refresh: an element read between two reads may be gone,
            // so everything is read and checked together until it holds
            await("the group view to show hostA DEAD, its work on hostB, hostB master")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> {
                                assertEquals("DEAD", browser.attribute(a, "data-state"));
                                String h2 = browser.text("#group h2");
                                assertTrue(h2.contains("master hostB"), h2);
                                String work = browser.text(row);
                                assertTrue(work.startsWith("hostA's work work-hostA hostB"), work);
                                String b =
                                        browser.text("#group article.member[data-member='hostB']");
                                assertTrue(b.contains("MASTER"), b);
                                String c =
                                        browser.text("#group article.member[data-member='hostC']");
                                assertTrue(c.contains("work/hostC"), c);
                            });
            browser.screenshot(Path.of("target/status-page-group.png"));
        }
    }

    /**
     * The processing map of {@code asked}'s status API names, for every route, the member whose
     * ledger lines are the newest, and one master.
     */
    private static void assertMapMatchesLedgers(LedgerGroup g, String asked) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String last = null;
        while (System.nanoTime() < end) {
            JsonObject status =
                    (JsonObject) Jsoner.deserialize(Http.get(g.statusUrl(asked)).body());
            JsonObject group = (JsonObject) status.get("group");
            JsonArray map = (JsonArray) group.get("processingMap");
            StringBuilder diff = new StringBuilder();
            for (Object o : map) {
                JsonObject u = (JsonObject) o;
                String unit = (String) u.get("unit");
                String route =
                        unit.equals("master")
                                ? LedgerGroup.MASTER_ROUTE
                                : "work-" + unit.substring("work/".length());
                String ran = g.lastRunBy(route);
                if (!java.util.Objects.equals(ran, u.get("runsOn"))) {
                    diff.append(route)
                            .append(": map says ")
                            .append(u.get("runsOn"))
                            .append(", ledger says ")
                            .append(ran)
                            .append("; ");
                }
            }
            long masters =
                    ((JsonArray) group.get("members"))
                            .stream()
                                    .filter(
                                            m ->
                                                    Boolean.TRUE.equals(
                                                            ((JsonObject) m).get("master")))
                                    .count();
            if (masters != 1) {
                diff.append(masters).append(" masters; ");
            }
            if (diff.length() == 0) {
                return;
            }
            last = diff + "\n" + group.toJson();
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("the processing map of " + asked + " disagrees: " + last);
    }
}
