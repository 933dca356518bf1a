package dev.hotbackup.arbiter;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.arbiter.file.FileArbiter;
import dev.hotbackup.arbiter.jdbc.JdbcArbiter;
import dev.hotbackup.arbiter.zookeeper.ZooKeeperArbiter;
import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.H2;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keeper against real arbiters: one holder at a time, self-fencing on the local clock before a
 * lease can move on, ZooKeeper's SUSPENDED as loss, and the gateway check.
 */
class LeaseKeeperTest {

    static final String KEY = "serverA/base";

    @TempDir Path tmp;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** What a keeper told its listener, with the monotonic time of each call. */
    static final class Recorder implements LeaseListener {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        volatile long grantedAt = -1;
        volatile long lostAt = -1;
        volatile long epoch = -1;

        @Override
        public void granted(String key, long epoch) {
            this.epoch = epoch;
            grantedAt = System.nanoTime();
            calls.add("granted " + epoch);
        }

        @Override
        public void lost(String key, long epoch, String why) {
            lostAt = System.nanoTime();
            calls.add("lost " + epoch + ": " + why);
        }
    }

    LeaseKeeper keeper(Arbiter a, String host, LeaseTiming t, Gateway g, long fenceAfterNanos)
            throws Exception {
        a.start();
        LeaseKeeper k =
                new LeaseKeeper(
                        a,
                        Holder.forThisRun(host),
                        t,
                        g,
                        fenceAfterNanos,
                        LeaseEvents.NONE,
                        System::nanoTime);
        k.start();
        open.add(k::stop);
        return k;
    }

    static LeaseTiming fast() {
        return LeaseTiming.of(TimeUnit.SECONDS.toNanos(2));
    }

    static void until(String what, Duration max, BooleanSupplier condition) {
        await(what).atMost(max).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    }

    @Test
    void twoKeepersNeverHoldTheSameLeaseAtOnce() throws Exception {
        Path dir = tmp.resolve("locks");
        LeaseKeeper k1 = keeper(new FileArbiter(dir), "hostA", fast(), null, 0);
        LeaseKeeper k2 = keeper(new FileArbiter(dir), "hostB", fast(), null, 0);
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        Attempt first = k1.want(KEY, r1).get(5, TimeUnit.SECONDS);
        long e1 = assertInstanceOf(Attempt.Granted.class, first).epoch();
        Attempt second = k2.want(KEY, r2).get(5, TimeUnit.SECONDS);
        assertInstanceOf(Attempt.Held.class, second, "the second keeper waits");
        assertEquals(e1, k1.validEpoch(KEY));
        assertEquals(-1, k2.validEpoch(KEY));
        assertEquals(Role.ACTIVE, k1.role());
        assertEquals(Role.WAITING, k2.role());

        // the holder gives it up; the other gets it with a higher epoch
        k1.giveUp(KEY);
        until("the second keeper holds it", Duration.ofSeconds(5), () -> k2.validEpoch(KEY) > e1);
        assertEquals(-1, k1.validEpoch(KEY));
        assertEquals(List.of("granted " + k2.validEpoch(KEY)), r2.calls);
    }

    @Test
    void aHolderCutOffFromTheDatabaseFencesBeforeTheLeaseCanMoveOn() throws Exception {
        int port = FreePorts.next();
        Path base = Files.createDirectories(tmp.resolve("h2"));
        Server h2 = h2(port, base);
        String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/./arb";
        LeaseTiming t = fast();
        LeaseKeeper k1 = keeper(new JdbcArbiter(url, "sa", "", "lease", 300), "hostA", t, null, 0);
        Recorder r1 = new Recorder();
        long e1 =
                assertInstanceOf(Attempt.Granted.class, k1.want(KEY, r1).get(5, TimeUnit.SECONDS))
                        .epoch();
        until("a renewal", Duration.ofSeconds(5), () -> k1.renewals() >= 1);

        long cut = System.nanoTime();
        h2.stop();
        until("the holder fences", Duration.ofSeconds(5), () -> r1.lostAt > 0);
        long fencedAfter = TimeUnit.NANOSECONDS.toMillis(r1.lostAt - cut);
        assertTrue(
                fencedAfter <= TimeUnit.NANOSECONDS.toMillis(t.deadlineNanos()) + 200,
                "fenced " + fencedAfter + " ms after the cut: " + r1.calls);
        assertEquals(-1, k1.validEpoch(KEY), "the gate is closed");
        assertEquals(Role.FENCED, k1.role());

        // the database comes back; another instance asks and gets it only after the lease lapsed
        h2 = h2(port, base);
        LeaseKeeper k2 = keeper(new JdbcArbiter(url, "sa", "", "lease", 300), "hostB", t, null, 0);
        Recorder r2 = new Recorder();
        k2.want(KEY, r2);
        until(
                "someone holds it again",
                Duration.ofSeconds(10),
                () -> r2.grantedAt > 0 || k1.validEpoch(KEY) > 0);
        if (r2.grantedAt > 0) {
            assertTrue(r1.lostAt < r2.grantedAt, "fenced before the next grant");
            assertTrue(r2.epoch > e1, "epoch " + r2.epoch + " after " + e1);
        } else {
            // no one held it meanwhile: the same holder may keep the same epoch
            assertTrue(k1.validEpoch(KEY) >= e1, "epoch " + k1.validEpoch(KEY) + " after " + e1);
        }
    }

    private Server h2(int port, Path base) throws Exception {
        Server s = H2.start(port, base);
        open.add(s::stop);
        return s;
    }

    @Test
    void zooKeeperLosingOneServerChangesNothingLosingTwoFences() throws Exception {
        TestingCluster cluster = new TestingCluster(3);
        open.add(cluster);
        cluster.start();
        LeaseTiming t = LeaseTiming.of(TimeUnit.SECONDS.toNanos(4));
        ZooKeeperArbiter zk = new ZooKeeperArbiter(cluster.getConnectString(), "/hb", 4000, 800);
        LeaseKeeper k1 = keeper(zk, "hostA", t, null, 0);
        Recorder r1 = new Recorder();
        k1.want(KEY, r1);
        // the ensemble may still be electing its leader: the keeper asks until it answers
        until("held", Duration.ofSeconds(20), () -> k1.validEpoch(KEY) >= 0);
        long e1 = k1.validEpoch(KEY);

        List<InstanceSpec> servers = new ArrayList<>(cluster.getInstances());
        cluster.killServer(servers.get(0));
        // held throughout; or, when it was the server this client talked to, fenced at SUSPENDED
        // and held again under the same epoch once the session reconnects to another server
        await("one server of three lost: held under the same epoch")
                .during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(15))
                .untilAsserted(
                        () ->
                                assertEquals(
                                        e1,
                                        k1.validEpoch(KEY),
                                        "one server of three lost: still held " + r1.calls));

        long lostBefore = r1.lostAt;
        long cut = System.nanoTime();
        cluster.killServer(servers.get(1));
        until("the holder fences", Duration.ofSeconds(8), () -> r1.lostAt != lostBefore);
        assertTrue(
                r1.lostAt - cut < t.leaseNanos(),
                "fenced "
                        + TimeUnit.NANOSECONDS.toMillis(r1.lostAt - cut)
                        + " ms after quorum was lost");
        assertEquals(-1, k1.validEpoch(KEY));

        cluster.restartServer(servers.get(0));
        cluster.restartServer(servers.get(1));
        until("held again", Duration.ofSeconds(30), () -> k1.validEpoch(KEY) >= 0);
        assertTrue(
                k1.validEpoch(KEY) >= e1, "the same session keeps its epoch, a new one raises it");
    }

    @Test
    void aHolderThatReachesNoGatewayFencesAndABackupThatReachesNoneIsIsolated() throws Exception {
        ServerSocket gw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        open.add(gw);
        Thread acceptor =
                new Thread(
                        () -> {
                            while (!gw.isClosed()) {
                                try {
                                    gw.accept().close();
                                } catch (Exception e) {
                                    return;
                                }
                            }
                        });
        acceptor.setDaemon(true);
        acceptor.start();
        Gateway gateway =
                new Gateway(
                        List.of(InetSocketAddress.createUnresolved("127.0.0.1", gw.getLocalPort())),
                        200,
                        0);
        LeaseTiming forever = LeaseTiming.withoutArbiter();
        long fenceAfter = TimeUnit.MILLISECONDS.toNanos(800);
        LeaseKeeper live = keeper(new GatewayOnly(), "hostA", forever, gateway, fenceAfter);
        Recorder r = new Recorder();
        assertEquals(new Attempt.Granted(0), live.want(KEY, r).get(5, TimeUnit.SECONDS));
        await("held while the gateway answers")
                .during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(3))
                .untilAsserted(
                        () ->
                                assertEquals(
                                        0, live.validEpoch(KEY), "held while the gateway answers"));

        long cut = System.nanoTime();
        gw.close();
        until("the live host fences", Duration.ofSeconds(5), () -> r.lostAt > 0);
        long after = TimeUnit.NANOSECONDS.toMillis(r.lostAt - cut);
        assertTrue(after <= 800 + 400, "fenced " + after + " ms after the gateway went away");
        assertTrue(
                r.calls.get(r.calls.size() - 1).contains("no gateway reachable"),
                r.calls.toString());

        LeaseKeeper backup = keeper(new GatewayOnly(), "hostB", forever, gateway, fenceAfter);
        Attempt a = backup.want("other/base", new Recorder()).get(5, TimeUnit.SECONDS);
        assertInstanceOf(Attempt.Unreachable.class, a);
        assertEquals(Role.ISOLATED, backup.role());
        assertEquals(-1, backup.validEpoch("other/base"));
    }
}
