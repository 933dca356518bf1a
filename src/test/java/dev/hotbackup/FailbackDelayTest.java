package dev.hotbackup;

import static dev.hotbackup.testing.ActivityLines.field;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With hotbackup.takeover.failback-delay, a host back from DEAD must stay LIVE that long before the
 * backup stops its routes: a flapping host does not make them start and stop each time.
 */
class FailbackDelayTest extends ListenerTestSupport {

    private static final Duration DELAY = Duration.ofMillis(2500);

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.takeover.failback-delay", DELAY.toMillis() + "ms");
    }

    @Test
    void flappingHostDoesNotStopTheRoutesUntilItStaysLive() throws Exception {
        FakeLiveHost a = takenOver("serverA", "takeover-a");

        // back for less than the delay, then dead again: the routes never stop
        beatsAgain(a);
        log().await(1, field("event", "hold"));
        assertTrue(status("takeover-a").isStarted());
        a.crash();
        awaitState("serverA", MonitorState.DEAD);
        assertTrue(status("takeover-a").isStarted());

        // back and staying: released once the delay has passed
        beatsAgain(a);
        long live = System.nanoTime();
        eventually(() -> status("takeover-a").isStopped());
        long held = (System.nanoTime() - live) / 1_000_000;
        assertTrue(held >= DELAY.toMillis() - 100, "released after " + held + " ms");
        log().await(1, field("event", "release"), "takeover-a: stopped");
        assertTrue(
                log().matching(field("event", "takeover"), "takeover-a: already running").size()
                        == 1);
    }
}
