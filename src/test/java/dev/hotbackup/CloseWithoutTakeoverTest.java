package dev.hotbackup;

import static dev.hotbackup.testing.Activity.field;
import static dev.hotbackup.testing.Activity.matching;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.link.FrameState;
import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With hotbackup.takeover.on-close=false a normal stop is reported, and nothing is taken over. */
class CloseWithoutTakeoverTest extends ListenerTestSupport {

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.takeover.on-close", "false");
    }

    @Test
    void closeOnlyNotifies() throws Exception {
        FakeLiveHost a = liveHost("serverA");
        a.send(FrameState.LIVE);
        awaitState("serverA", MonitorState.LIVE);

        a.send(FrameState.CLOSE);

        awaitState("serverA", MonitorState.CLOSE);
        await().atMost(Duration.ofSeconds(5))
                .until(
                        () ->
                                matching(
                                                        activity,
                                                        field("event", "notify"),
                                                        field("state", "CLOSE"))
                                                .size()
                                        == 1);
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                matching(
                                                        activity,
                                                        field("event", "mail-sent"),
                                                        field("state", "CLOSE"))
                                                .size()
                                        == 1);
        assertTrue(status("takeover-a").isStopped() && status("takeover-b").isStopped());
        assertTrue(matching(activity, field("event", "takeover")).isEmpty());
    }
}
