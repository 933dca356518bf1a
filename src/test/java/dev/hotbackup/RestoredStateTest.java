package dev.hotbackup;

import static dev.hotbackup.testing.ActivityLines.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.HeartbeatFrame;
import dev.hotbackup.link.RejectReason;
import dev.hotbackup.link.Signer;
import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
import dev.hotbackup.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A listener that starts again finds what it knew in its state file: a host that was DEAD is probed
 * at once and taken over again, a CLOSE pair is CLOSE again, a LIVE one not heard again is probed
 * and DEAD after the threshold (it died while the listener was down), and the replay watermark
 * still holds. A pair listed in hotbackup.listener.expect and never heard is DEAD after the
 * threshold.
 */
class RestoredStateTest extends ListenerTestSupport {

    private static final int NOBODY = FreePorts.next();
    private static final long BOOT = 1_700_000_000_000L;

    @Override
    protected void properties(Map<String, String> p) {
        Path dir = Path.of(p.get("hotbackup.state-dir"));
        try {
            Files.createDirectories(dir);
            Files.writeString(
                    dir.resolve("monitors"),
                    "hotbackup-monitors v1\n"
                            + line("wasDead", "DEAD", 40)
                            + line("wasClose", "CLOSE", 7)
                            + line("wasLive", "LIVE", 100)
                            + line("wasLiveExpected", "LIVE", 5));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.put("hotbackup.listener.expect", "wasLiveExpected/base,ghost/base");
    }

    private static String line(String host, String state, long seq) {
        return host
                + "\tbase\t"
                + state
                + "\t"
                + BOOT
                + "\t"
                + seq
                + "\t127.0.0.1\t"
                + NOBODY
                + "\t0\n";
    }

    @Test
    void restartResumesWhatTheListenerKnew() throws Exception {
        awaitState("wasDead", MonitorState.DEAD);
        log().await(1, field("event", "takeover"), field("host", "wasDead"));
        assertTrue(status("takeover-a").isStarted() && status("takeover-b").isStarted());
        log().awaitAtLeast(
                        1, field("host", "wasDead"), "still silent after the listener restarted");
        awaitState("wasClose", MonitorState.CLOSE);

        // expected hosts never heard, and hosts LIVE before the restart not heard since, are DEAD
        // after the threshold
        awaitState("ghost", MonitorState.DEAD);
        awaitState("wasLiveExpected", MonitorState.DEAD);
        awaitState("wasLive", MonitorState.DEAD);
        // the state changes before its activity line is written: wait for the line too
        log().awaitAtLeast(
                        1,
                        field("host", "ghost"),
                        field("state", "DEAD"),
                        "since the listener started");

        // the watermark survived: a frame recorded before the restart is refused
        FakeLiveHost raw = liveHost("attacker");
        HeartbeatCodec codec = new HeartbeatCodec(Signer.of(SECRET));
        raw.sendLine(
                codec.encode(new HeartbeatFrame("wasLive", "base", FrameState.LIVE, BOOT, 99, 0)));
        eventually(() -> rejections.count(RejectReason.REPLAYED) == 1);
        raw.sendLine(
                codec.encode(new HeartbeatFrame("wasLive", "base", FrameState.LIVE, BOOT, 101, 0)));
        awaitState("wasLive", MonitorState.LIVE);
        assertEquals(List.of("DEAD", "LIVE"), signalStates("wasLive"));
    }
}
