package dev.hotbackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.HotBackupProcess;
import dev.hotbackup.testing.JvmProcess;
import dev.hotbackup.testing.Ledger;
import dev.hotbackup.testing.LedgerPair;
import dev.hotbackup.testing.Netns;
import dev.hotbackup.testing.Postgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        Path data = Files.createDirectories(tmp.resolve("zk-data"));
        JvmProcess zk =
                JvmProcess.ofMain(
                                tmp.resolve("zk"),
                                "zookeeper",
                                "org.apache.zookeeper.server.ZooKeeperServerMain",
                                "2181",
                                data.toString(),
                                "500")
                        .prefix(arb.exec())
                        .start();
        open.add(zk);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("hotbackup.arbiter", "zookeeper");
        p.put("hotbackup.arbiter.zookeeper.connect", arb.address() + ":2181");
        everyShape(p, "xml", true, () -> net.cutOff("arbiter"), () -> net.heal());
    }

    @Test
    void lockFiles() throws Exception {
        net = Netns.create("live", "backup");
        // the lock files on a file system of their own, frozen in the fourth shape: writes to it
        // hang, as they do on an NFS hard mount whose server is gone
        Path image = tmp.resolve("locks.img");
        Path locks = Files.createDirectories(tmp.resolve("locks"));
        sh("truncate", "-s", "16M", image.toString());
        sh("mkfs.ext4", "-q", "-F", image.toString());
        sh("mount", "-o", "loop", image.toString(), locks.toString());
        open.add(() -> sh("umount", "-l", locks.toString()));
        open.add(() -> sh("fsfreeze", "-u", locks.toString()));
        Map<String, String> p = new LinkedHashMap<>();
        p.put("hotbackup.arbiter", "file");
        p.put("hotbackup.arbiter.file.path", locks.toString());
        everyShape(
                p,
                "yaml",
                false,
                () -> sh("fsfreeze", "-f", locks.toString()),
                () -> sh("fsfreeze", "-u", locks.toString()));
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
        p.put("hotbackup.gateway.resume-after", "2s");
        startPair(p, "yaml");

        // the live host cut off: it stops before the backup's threshold; the backup takes over
        long t0 = System.currentTimeMillis();
        net.cutOff("live");
        hold(CUT);
        long t1 = System.currentTimeMillis();
        net.heal();
        awaitOnlyActive("live", t1);
        List<Ledger.Line> lines = Ledger.read(live.dir(), backup.dir());
        assertTrue(Ledger.count(lines, "backup", t0, t1) > 0, "the backup took over");

        // the backup cut off: it is isolated and takes nothing over
        long t2 = System.currentTimeMillis();
        net.cutOff("backup");
        hold(CUT);
        long t3 = System.currentTimeMillis();
        net.heal();
        awaitOnlyActive("live", t3);
        lines = Ledger.read(live.dir(), backup.dir());
        assertEquals(0, Ledger.count(lines, "backup", t2, t3 + 1000), "an isolated backup waits");
        assertTrue(
                backup.activity().matching("\"state\":\"ISOLATED\"").size() > 0,
                "the backup said it is isolated");

        // without epochs, a handover shows as runs of one host, never lines interleaved
        List<Ledger.Segment> runs = Ledger.segments(lines);
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
        long t0 = System.currentTimeMillis();
        net.cutOff("live");
        hold(CUT);
        long t1 = System.currentTimeMillis();
        net.heal();
        awaitOnlyActive("live", t1);
        List<Ledger.Line> lines = Ledger.read(live.dir(), backup.dir());
        if (expires) {
            assertTrue(
                    Ledger.count(lines, "backup", t0, t1) > 0,
                    "the backup took over the cut-off host's lease");
        } else {
            assertEquals(
                    0,
                    Ledger.count(lines, "backup", t0, t1 + 1000),
                    "the cut-off host keeps its lock: no takeover");
        }

        // 2. the link between them cut, both reach the arbiter
        long t2 = System.currentTimeMillis();
        net.cutBetween("live", "backup");
        hold(CUT);
        long t3 = System.currentTimeMillis();
        net.heal();
        awaitOnlyActive("live", t3);
        lines = Ledger.read(live.dir(), backup.dir());
        assertEquals(0, Ledger.count(lines, "backup", t2, t3 + 1000), "no takeover: shape 2");
        assertTrue(
                Ledger.count(lines, "live", t2, t3) > 100, "the live host kept running: shape 2");
        assertTrue(
                backup.activity().matching("\"event\":\"wait\"", "waiting for the lease").size()
                        > 0,
                "the backup said whose lease it waits for");

        // 3. the backup cut off from everyone
        long t4 = System.currentTimeMillis();
        net.cutOff("backup");
        hold(CUT);
        long t5 = System.currentTimeMillis();
        net.heal();
        awaitOnlyActive("live", t5);
        lines = Ledger.read(live.dir(), backup.dir());
        assertEquals(0, Ledger.count(lines, "backup", t4, t5 + 1000), "no takeover: shape 3");

        // 4. the arbiter unreachable for everyone: the live host stops, no one runs it
        long t6 = System.currentTimeMillis();
        arbiterAway.run();
        hold(CUT);
        long t7 = System.currentTimeMillis();
        arbiterBack.run();
        awaitOnlyActive("live", t7);
        lines = Ledger.read(live.dir(), backup.dir());
        long deadline = LEASE.toMillis() * 3 / 5;
        assertEquals(
                0,
                Ledger.count(lines, "live", t6 + deadline + 200, t7)
                        + Ledger.count(lines, "backup", t6, t7),
                "no one runs the route while the arbiter is away");
        assertTrue(
                live.activity().matching("\"state\":\"FENCED\"").size() > 0,
                "the live host fenced");

        // the live host hangs longer than the lease, then resumes
        long t8 = System.currentTimeMillis();
        live.pause();
        hold(CUT);
        live.resume();
        long t9 = System.currentTimeMillis();
        awaitOnlyActive("live", t9);
        lines = Ledger.read(live.dir(), backup.dir());
        if (expires) {
            assertTrue(
                    Ledger.count(lines, "backup", t8, t9) > 0,
                    "the backup took over the hung host");
        }

        // the live host dies
        long killed = System.currentTimeMillis();
        live.kill();
        long max = expires ? LEASE.toMillis() + 3000 : 3000;
        awaitActive("backup", killed, Duration.ofMillis(max));

        List<Ledger.Segment> runs = Ledger.segments(Ledger.read(live.dir(), backup.dir()));
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

    /** A partition lasts this long: the scenario's own duration, not a wait for a condition. */
    private static void hold(Duration d) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(d.toMillis());
    }

    private void awaitActive(String host, long since, Duration max) throws Exception {
        pair.awaitActive(host, since, max);
    }

    private void awaitOnlyActive(String host, long since) throws Exception {
        pair.awaitOnlyActive(host, since);
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void sh(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }
}
