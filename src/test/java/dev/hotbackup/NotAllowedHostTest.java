package dev.hotbackup;

import static dev.hotbackup.testing.ActivityLines.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.RejectReason;
import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hosts outside hotbackup.listener.allow are refused, counted each time, reported once. */
class NotAllowedHostTest extends ListenerTestSupport {

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.listener.allow", "serverA/*");
    }

    @Test
    void pairsOutsideTheAllowListAreRefusedAndReportedOnce() throws Exception {
        FakeLiveHost stranger = liveHost("serverX");
        for (int i = 0; i < 5; i++) {
            stranger.send(FrameState.LIVE);
        }
        FakeLiveHost a = liveHost("serverA");
        a.send(FrameState.LIVE);

        awaitState("serverA", MonitorState.LIVE);
        eventually(() -> rejections.count(RejectReason.NOT_ALLOWED) == 5);
        assertNull(monitors.stateOf("serverX", "base"));
        log().await(1, field("event", "rejected"), "not-allowed");
        assertEquals(1, monitors.size(), "no state kept for refused hosts");
    }
}
