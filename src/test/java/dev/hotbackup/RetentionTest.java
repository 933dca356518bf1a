package dev.hotbackup;

import static dev.hotbackup.testing.ActivityLines.field;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.RejectReason;
import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
import dev.hotbackup.testing.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * hotbackup.listener.retention: a host silent for that long is forgotten and the eviction logged,
 * so memory per host stays bounded; its replay watermark is kept, so frames recorded before the
 * eviction cannot bring it back; a new run of the host is LIVE again as usual.
 */
class RetentionTest extends ListenerTestSupport {

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.listener.retention", "2s");
    }

    @Test
    void deadPairIsForgottenButItsOldFramesStayRefused() throws Exception {
        FakeLiveHost a = beatingHost("serverA");
        a.stopHeartbeats();
        List<String> recorded = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            recorded.add(a.send(FrameState.LIVE));
        }
        a.crash();
        awaitState("serverA", MonitorState.DEAD);
        long dead = System.nanoTime();
        eventually(() -> monitors.stateOf("serverA", "base") == null);
        long after = (System.nanoTime() - dead) / 1_000_000;
        assertTrue(after >= 1900, "forgotten after " + after + " ms, before the retention");
        log().await(1, field("event", "evicted"), field("state", "DEAD"));
        assertTrue(
                !Http.get("http://127.0.0.1:" + HTTP_PORT + "/hotbackup/status")
                        .body()
                        .contains("serverA"),
                "the status still lists serverA");

        // frames recorded before the eviction, replayed on a new connection
        long replayedBefore = rejections.count(RejectReason.REPLAYED);
        FakeLiveHost replayer = liveHost("serverA");
        for (String line : recorded) {
            replayer.sendLine(line);
        }
        eventually(() -> rejections.count(RejectReason.REPLAYED) == replayedBefore + 3);
        assertNull(monitors.stateOf("serverA", "base"), "a replay brought serverA back");

        a.restart();
        a.startHeartbeats(100);
        awaitState("serverA", MonitorState.LIVE);
    }
}
