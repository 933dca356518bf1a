package dev.hotbackup;

import static dev.hotbackup.testing.ActivityLines.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.arbiter.Attempt;
import dev.hotbackup.arbiter.LeaseKeeper;
import dev.hotbackup.testing.FakeLiveHost;
import dev.hotbackup.testing.Http;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code hotbackup.arbiter.failback=keep}, failback without preemption (Fiorano: the recovered
 * server becomes the standby): a host LIVE again does not get its routes back; they keep running
 * here under its lease, and the returning host cannot get the lease, until an operator releases.
 */
class ArbiterFailbackKeepTest extends ListenerTestSupport {

    static final Path LOCKS = Path.of("target/test-state/ArbiterFailbackKeepTest-locks");

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.arbiter", "file");
        p.put("hotbackup.arbiter.file.path", LOCKS.toString());
        p.put("hotbackup.arbiter.lease", "2s");
        p.put("hotbackup.arbiter.failback", "keep");
    }

    @Test
    void aReturningHostWaitsAsTheStandbyUntilAnOperatorReleases() throws Exception {
        FakeLiveHost a = takenOver("serverA", "takeover-a");
        beatsAgain(a);
        log().await(1, field("event", "keep"), "waits as the standby");
        LeaseKeeper returning = ArbiterTakeoverTest.otherInstance(LOCKS);
        try {
            // for two renewals of the lease: the routes run here, the returning host is refused
            log().holds(
                            "takeover-a runs here under the lease",
                            Duration.ofSeconds(2),
                            Duration.ofSeconds(5),
                            () -> status("takeover-a").isStarted());
            assertInstanceOf(
                    Attempt.Held.class,
                    ArbiterTakeoverTest.ask(returning, "serverA/base"),
                    "the returning host is refused the lease");

            HttpResponse<String> release =
                    Http.post(
                            "http://127.0.0.1:"
                                    + HTTP_PORT
                                    + "/hotbackup/monitors/serverA/base/release",
                            TOKEN,
                            "alice");
            assertEquals(200, release.statusCode(), release.body());
            assertTrue(release.body().contains("takeover-a: stopped"), release.body());
            eventually(() -> status("takeover-a").isStopped());
            log().await(1, field("event", "release"), "lease serverA/base given back (epoch");
            eventually(
                    () ->
                            ArbiterTakeoverTest.ask(returning, "serverA/base")
                                    instanceof Attempt.Granted);
        } finally {
            returning.stop();
        }
    }
}
