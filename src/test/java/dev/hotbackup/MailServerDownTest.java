package dev.hotbackup;

import static dev.hotbackup.testing.Activity.field;
import static dev.hotbackup.testing.Activity.matching;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.link.FrameState;
import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
import java.time.Duration;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

/** A mail server that refuses connections neither blocks nor undoes route control. */
class MailServerDownTest extends ListenerTestSupport {

    private static final int NOBODY = AvailablePortFinder.getNextAvailable();

    @Override
    protected int mailPort() {
        return NOBODY;
    }

    @Test
    void mailServerDownDoesNotStopRouteControl() throws Exception {
        FakeLiveHost a = liveHost("serverA");
        a.send(FrameState.LIVE);
        awaitState("serverA", MonitorState.LIVE);

        a.crash();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> status("takeover-a").isStarted() && status("takeover-b").isStarted());
        await().atMost(Duration.ofSeconds(15))
                .until(
                        () ->
                                matching(
                                                        activity,
                                                        field("event", "mail-failed"),
                                                        field("state", "DEAD"))
                                                .size()
                                        == 1);
        assertTrue(status("takeover-a").isStarted());
        assertTrue(
                matching(activity, field("event", "takeover"), "takeover-a: started").size() == 1);
    }
}
