package dev.hotbackup;

import static dev.hotbackup.testing.ActivityLines.field;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.link.FrameState;
import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
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
        log().await(1, field("event", "notify"), field("state", "CLOSE"));
        log().await(1, field("event", "mail-sent"), field("state", "CLOSE"));
        assertTrue(status("takeover-a").isStopped() && status("takeover-b").isStopped());
        assertTrue(log().matching(field("event", "takeover")).isEmpty());
    }
}
