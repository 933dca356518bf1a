package dev.hotbackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.FreezableStorage;
import dev.hotbackup.testing.HotBackupProcess;
import dev.hotbackup.testing.JvmProcess;
import dev.hotbackup.testing.Ledger;
import dev.hotbackup.testing.LedgerPair;
import dev.hotbackup.testing.Netns;
import dev.hotbackup.testing.Postgres;
import dev.hotbackup.testing.ZooKeeperServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Never two actives, tested the way it fails in production: a live host, its backup and the arbiter
 * (PostgreSQL, a ZooKeeper server, or lock files) as separate processes on three hosts of their own
 * (network namespaces on a bridge), both instances running the route {@code ledger} (the live host
 * under its lease, the backup when it takes over), which writes one line per exchange: time, host,
 * epoch. Each partition shape lasts longer than the lease and the threshold together, then heals:
 *
 * <ol>
 *   <li>the live host cut off from everyone: the backup takes over once the lease has lapsed (lock
 *       files: never, the live host still holds its lock);
 *   <li>the link between the two cut, both reach the arbiter: no takeover;
 *   <li>the backup cut off from everyone: no takeover;
 *   <li>the arbiter unreachable for everyone: the live host stops; no one runs the route;
 * </ol>
 *
 * then the live host hung (SIGSTOP) longer than the lease and resumed, and killed (SIGKILL). After
 * each heal exactly one host runs the route; over the whole run the ledger shows no two hosts at
 * once and epochs that rise from one holder to the next.
 */
class PartitionIT {

    static final Duration LEASE = Duration.ofSeconds(2);
    static final Duration CUT = Duration.ofMillis(4500);

    @TempDir Path tmp;
    Netns net;
    final List<AutoCloseable> open = new ArrayList<>();
    LedgerPair pair;
    HotBackupProcess live;
    HotBackupProcess backup;

    @AfterEach
    void cleanUp() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                // the rest still close
            }
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void postgresql() throws Exception {
        net = Netns.create("live", "backup", "arbiter");
        Netns.Host arb = net.host("arbiter");
        Postgres pg = Postgres.start(arb.address(), 5432, arb.exec());
        open.add(pg);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("hotbackup.arbiter", "jdbc");
        p.put("hotbackup.arbiter.jdbc.url", pg.url());
        p.put("hotbackup.arbiter.jdbc.username", Postgres.USER);
        p.put("hotbackup.arbiter.jdbc.password", Postgres.PASSWORD);
        everyShape(p, "yaml", true, () -> net.cutOff("arbiter"), () -> net.heal());
    }

    @Test
    void zookeeper() throws Exception {
        net = Netns.create("live", "backup", "arbiter");
        Netns.Host arb = net.host("arbiter");
        ZooKeeperServer zk = ZooKeeperServer.start(tmp.resolve("zk"), arb, 2181);
        open.add(zk);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("hotbackup.arbiter", "zookeeper");
        p.put("hotbackup.arbiter.zookeeper.connect", zk.connect());
        everyShape(p, "xml", true, () -> net.cutOff("arbiter"), () -> net.heal());
    }

    @Test
    void lockFiles() throws Exception {
        net = Netns.create("live", "backup");
        // the lock files on a file system of their own, frozen in the fourth shape
        FreezableStorage locks = FreezableStorage.mount(tmp.resolve("locks"));
        open.add(locks);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("hotbackup.arbiter", "file");
        p.put("hotbackup.arbiter.file.path", locks.path().toString());
        everyShape(p, "yaml", false, locks::freeze, locks::thaw);
    }

    @Test
    void gatewayAloneKeepsACutOffHostFromActing() throws Exception {
        net = Netns.create("live", "backup", "gateway");
        Netns.Host gw = net.host("gateway");
        JvmProcess accept =
                JvmProcess.ofMain(
                                tmp.resolve("gateway"),
                                "gateway",
                                "dev.hotbackup.testing.AcceptAll",
                                "7900")
                        .prefix(gw.exec())
                        .start();
        open.add(accept);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("hotbackup.gateway", gw.address() + ":7900");
        p.put("hotbackup.gateway.fence-after", "600ms");
        p.put("hotbackup.gateway.timeout", "200ms");
        // longer than the backup needs to hear the live host again and stop its copies, also on a
        // loaded machine (2 s interleaved the two for 20 ms once)
        p.put("hotbackup.gateway.resume-after", "3s");
        startPair(p, "yaml");

        // the live host cut off: it stops before the backup's threshold; the backup takes over
        Window w = partition(() -> net.cutOff("live"), net::heal);
        assertTrue(w.count("backup") > 0, "the backup took over");

        // the backup cut off: it is isolated and takes nothing over
        w = partition(() -> net.cutOff("backup"), net::heal);
        assertEquals(0, w.countAfter("backup"), "an isolated backup waits");
        assertTrue(
                backup.activity().matching("\"state\":\"ISOLATED\"").size() > 0,
                "the backup said it is isolated");

        // without epochs, a handover shows as runs of one host, never lines interleaved
        List<Ledger.Segment> runs = Ledger.segments(w.lines());
        assertEquals(3, runs.size(), "live, backup, live: " + runs);
        assertTrue(runs.get(1).lines() > 10, runs.toString());
    }

    /** The four shapes, the hung holder and the killed holder, then the ledger. */
    private void everyShape(
            Map<String, String> arbiter,
            String dsl,
            boolean expires,
            Step arbiterAway,
            Step arbiterBack)
            throws Exception {
        startPair(arbiter, dsl);

        // 1. the live host cut off from everyone
        Window w = partition(() -> net.cutOff("live"), net::heal);
        if (expires) {
            assertTrue(w.count("backup") > 0, "the backup took over the cut-off host's lease");
        } else {
            assertEquals(0, w.countAfter("backup"), "the cut-off host keeps its lock: no takeover");
        }

        // 2. the link between them cut, both reach the arbiter
        w = partition(() -> net.cutBetween("live", "backup"), net::heal);
        assertEquals(0, w.countAfter("backup"), "no takeover: shape 2");
        assertTrue(w.count("live") > 100, "the live host kept running: shape 2");
        assertTrue(
                backup.activity().matching("\"event\":\"wait\"", "waiting for the lease").size()
                        > 0,
                "the backup said whose lease it waits for");

        // 3. the backup cut off from everyone
        w = partition(() -> net.cutOff("backup"), net::heal);
        assertEquals(0, w.countAfter("backup"), "no takeover: shape 3");

        // 4. the arbiter unreachable for everyone: the live host stops, no one runs it
        w = partition(arbiterAway, arbiterBack);
        long deadline = LEASE.toMillis() * 3 / 5;
        assertEquals(
                0,
                Ledger.count(w.lines(), "live", w.from() + deadline + 200, w.to())
                        + w.count("backup"),
                "no one runs the route while the arbiter is away");
        assertTrue(
                live.activity().matching("\"state\":\"FENCED\"").size() > 0,
                "the live host fenced");

        // the live host hangs longer than the lease, then resumes
        w = partition(live::pause, live::resume);
        if (expires) {
            assertTrue(w.count("backup") > 0, "the backup took over the hung host");
        }

        // the live host dies
        long killed = System.currentTimeMillis();
        live.kill();
        long max = expires ? LEASE.toMillis() + 3000 : 3000;
        pair.awaitActive("backup", killed, Duration.ofMillis(max));

        List<Ledger.Segment> runs = Ledger.segments(pair.lines());
        assertNull(Ledger.problem(runs));
        assertTrue(runs.size() >= 2, runs.toString());
    }

    private void startPair(Map<String, String> arbiter, String dsl) throws Exception {
        pair = new LedgerPair(tmp, net, arbiter, dsl, LEASE, Duration.ofSeconds(1));
        open.add(pair);
        live = pair.live;
        backup = pair.backup;
        pair.start();
    }

    /**
     * One shape: {@code cut}, which lasts {@link #CUT} (the scenario's own duration, not a wait for
     * a condition), then {@code heal}; returns once the live host alone runs the route again.
     */
    private Window partition(Step cut, Step heal) throws Exception {
        long from = System.currentTimeMillis();
        cut.run();
        TimeUnit.MILLISECONDS.sleep(CUT.toMillis());
        long to = System.currentTimeMillis();
        heal.run();
        pair.awaitOnlyActive("live", to);
        return new Window(from, to, pair.lines());
    }

    /** A shape's time (wall clock, ms, as the ledger writes it) and the ledger after it. */
    private record Window(long from, long to, List<Ledger.Line> lines) {
        /** Lines {@code host} wrote during the shape. */
        long count(String host) {
            return Ledger.count(lines, host, from, to);
        }

        /** Lines {@code host} wrote during the shape and the second after the heal. */
        long countAfter(String host) {
            return Ledger.count(lines, host, from, to + 1000);
        }
    }

    private interface Step {
        void run() throws Exception;
    }
}
