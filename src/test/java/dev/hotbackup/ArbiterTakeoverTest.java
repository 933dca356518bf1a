package dev.hotbackup;

import static dev.hotbackup.testing.ActivityLines.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.arbiter.Attempt;
import dev.hotbackup.arbiter.GuardedRoutes;
import dev.hotbackup.arbiter.Holder;
import dev.hotbackup.arbiter.LeaseEvents;
import dev.hotbackup.arbiter.LeaseKeeper;
import dev.hotbackup.arbiter.LeaseListener;
import dev.hotbackup.arbiter.LeaseTiming;
import dev.hotbackup.arbiter.file.FileArbiter;
import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.operate.JmxControl;
import dev.hotbackup.routes.Headers;
import dev.hotbackup.testing.FakeLiveHost;
import dev.hotbackup.testing.Http;
import jakarta.mail.internet.MimeMessage;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/**
 * The backup with an arbiter (lock files): a dead host's routes start only under its lease, each
 * exchange carries the epoch; while the lease is held elsewhere there is no takeover, and the mail
 * says why; once it is free the takeover happens by itself. A guarded route started by hand runs
 * nothing.
 */
class ArbiterTakeoverTest extends ListenerTestSupport {

    static final Path LOCKS = Path.of("target/test-state/ArbiterTakeoverTest-locks");

    @EndpointInject("mock:takeover-a")
    MockEndpoint takeoverA;

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.arbiter", "file");
        p.put("hotbackup.arbiter.file.path", LOCKS.toString());
        p.put("hotbackup.arbiter.lease", "2s");
    }

    /** Another instance holding a lease, as a live host cut off from this backup would. */
    private LeaseKeeper otherHolder(String key) throws Exception {
        LeaseKeeper k = otherInstance(LOCKS);
        assertInstanceOf(Attempt.Granted.class, ask(k, key), "the other instance holds " + key);
        return k;
    }

    /** Another instance of serverA, sharing the lock folder {@code locks}; stop it after use. */
    static LeaseKeeper otherInstance(Path locks) throws Exception {
        FileArbiter a = new FileArbiter(locks);
        a.start();
        LeaseKeeper k =
                new LeaseKeeper(
                        a,
                        Holder.forThisRun("serverA"),
                        LeaseTiming.of(TimeUnit.SECONDS.toNanos(2)),
                        null,
                        0,
                        LeaseEvents.NONE,
                        System::nanoTime);
        k.start();
        return k;
    }

    /** What the arbiter answers when {@code k} asks for {@code key}. */
    static Attempt ask(LeaseKeeper k, String key) throws Exception {
        return k.want(
                        key,
                        new LeaseListener() {
                            @Override
                            public void granted(String key, long epoch) {}

                            @Override
                            public void lost(String key, long epoch, String why) {}
                        })
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    void deadHostIsTakenOverUnderItsLeaseAndTheEpochReachesTheRoute() throws Exception {
        FakeLiveHost a = takenOver("serverA", "takeover-a");
        log().await(1, field("event", "takeover"), "under the lease serverA/base, epoch");

        takeoverA.expectedMessageCount(1);
        ProducerTemplate t = context.createProducerTemplate();
        t.sendBody("direct:takeover-a", "work");
        takeoverA.assertIsSatisfied(5000);
        Object epoch = takeoverA.getReceivedExchanges().get(0).getIn().getHeader(Headers.EPOCH);
        assertTrue(epoch instanceof Long && (Long) epoch >= 1, "epoch header: " + epoch);
        assertEquals(
                "serverA/base",
                takeoverA.getReceivedExchanges().get(0).getIn().getHeader(Headers.LEASE));

        // the role and the lease, as the status JSON, Prometheus and JMX give them
        String status = Http.get("http://127.0.0.1:" + HTTP_PORT + "/hotbackup/status").body();
        assertTrue(status.contains("\"arbiterRole\":\"active\""), status);
        assertTrue(status.contains("\"lease\":\"serverA/base\",\"state\":\"HELD\""), status);
        eventually(
                () ->
                        Http.get("http://127.0.0.1:" + OBSERVE_PORT + "/observe/metrics")
                                .body()
                                .contains("hotbackup_arbiter_role{role=\"active\"} 1.0"));
        // per-lease gauges are registered by a refresh once a second
        eventually(
                () ->
                        Http.get("http://127.0.0.1:" + OBSERVE_PORT + "/observe/metrics")
                                .body()
                                .contains("hotbackup_lease_held{lease=\"serverA/base\"} 1.0"));
        ObjectName mbean = new ObjectName(JmxControl.NAME);
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        assertEquals("active", jmx.getAttribute(mbean, "ArbiterRole"));
        String[] leases = (String[]) jmx.getAttribute(mbean, "Leases");
        assertTrue(
                leases[0].startsWith("serverA/base HELD epoch " + epoch), Arrays.toString(leases));

        // on LIVE: the routes stop, then the lease goes back and the returning host gets it
        beatsAgain(a);
        eventually(() -> status("takeover-a").isStopped());
        log().await(1, field("event", "release"), "lease serverA/base given back (epoch " + epoch);
        log().await(1, field("event", "lease"), field("state", "RELEASED"));
        LeaseKeeper returning = otherInstance(LOCKS);
        try {
            assertInstanceOf(Attempt.Granted.class, ask(returning, "serverA/base"));
        } finally {
            returning.stop();
        }
        // the lease was free at DEAD: granted while the router waited, it was that takeover's and
        // the DEAD signal went through the router once (one takeover, one DEAD mail)
        assertEquals(
                1, log().matching(field("event", "takeover")).size(), log().lines().toString());
        assertTrue(
                log().matching("lease granted once no takeover was due").isEmpty(),
                log().lines().toString());
        assertEquals(
                1,
                log().matching(field("event", "mail-sent"), field("state", "DEAD")).size(),
                log().lines().toString());
        t.stop();
    }

    @Test
    void leaseHeldElsewhereMeansNoTakeoverUntilItIsFree() throws Exception {
        FakeLiveHost a = beatingHost("serverA");
        LeaseKeeper other = otherHolder("serverA/base");
        try {
            a.crash();
            awaitState("serverA", MonitorState.DEAD);
            log().await(1, field("event", "wait"), "waiting for the lease held by serverA");
            assertTrue(status("takeover-a").isStopped(), "no takeover without the lease");
            eventually(
                    () ->
                            Arrays.stream(MAIL.getReceivedMessages())
                                    .anyMatch(m -> body(m).contains("waiting for the lease")));

            // the other holder lets go: the takeover happens by itself
            other.giveUp("serverA/base");
            eventually(() -> status("takeover-a").isStarted());
            log().await(1, field("event", "takeover"), "under the lease serverA/base, epoch");
        } finally {
            other.stop();
        }
    }

    @Test
    void aGuardedRouteStartedByHandRunsNothing() throws Exception {
        context.getRouteController().startRoute("takeover-b");
        ProducerTemplate t = context.createProducerTemplate();
        CamelExecutionException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        CamelExecutionException.class,
                        () -> t.sendBody("direct:takeover-b", "work"));
        assertInstanceOf(GuardedRoutes.LeaseNotHeldException.class, e.getCause());
        eventually(() -> status("takeover-b").isStopped());
        t.stop();
    }

    private static String body(MimeMessage m) {
        try {
            return String.valueOf(m.getContent());
        } catch (Exception e) {
            return "";
        }
    }
}
