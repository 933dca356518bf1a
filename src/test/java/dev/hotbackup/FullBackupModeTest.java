package dev.hotbackup;

import static dev.hotbackup.testing.ActivityLines.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.link.Decoded;
import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.Signer;
import dev.hotbackup.testing.FakeLiveHost;
import dev.hotbackup.testing.LineServer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Full-backup mode (-b): the takeover routes and the emitter stay stopped whatever their
 * autoStartup says; on DEAD the instance goes live and heartbeats to its own backup location; on
 * LIVE it says CLOSE and falls silent again.
 */
class FullBackupModeTest extends ListenerTestSupport {

    private final LineServer itsBackup = LineServer.open(0);

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.backup", "true");
        p.put("hotbackup.backup-location", "127.0.0.1:" + itsBackup.port());
        p.put("hotbackup.takeover.routes", "takeover-a,takeover-auto");
        p.put("hotbackup.heartbeat-interval", "50ms");
    }

    @AfterEach
    void closeServer() throws IOException {
        itsBackup.close();
    }

    @Test
    void silentUntilDeadThenLiveUntilTheMonitoredHostReturns() throws Exception {
        assertEquals(ServiceStatus.Stopped, status("heartbeat-emitter"));
        assertEquals(ServiceStatus.Stopped, status("takeover-auto"));
        FakeLiveHost a = beatingHost("serverA");
        log().holds(
                        "the condition",
                        THRESHOLD,
                        THRESHOLD.multipliedBy(2),
                        () -> itsBackup.connections() == 0);
        assertTrue(
                active("backupB").why().contains("a full backup that has not taken over"),
                active("backupB").toString());
        assertEquals(503, active("serverA").status(), active("serverA").toString());

        a.crash();

        eventually(
                () ->
                        status("heartbeat-emitter").isStarted()
                                && status("takeover-auto").isStarted());
        HeartbeatCodec codec = new HeartbeatCodec(Signer.of(SECRET));
        eventually(() -> itsBackup.lines().size() >= 3);
        Decoded first = codec.decode(itsBackup.lines().get(0));
        assertTrue(first.isAccepted(), String.valueOf(first));
        assertEquals("backupB", first.frame().host());
        assertEquals(FrameState.LIVE, first.frame().state());
        eventually(() -> active("serverA").active());
        assertTrue(active("backupB").active(), active("backupB").toString());

        a.restart();
        a.startHeartbeats(100);

        eventually(
                () ->
                        status("heartbeat-emitter").isStopped()
                                && status("takeover-auto").isStopped());
        assertEquals(503, active("serverA").status(), active("serverA").toString());
        List<String> lines = itsBackup.lines();
        assertEquals(FrameState.CLOSE, codec.decode(lines.get(lines.size() - 1)).frame().state());
        // the routes report stopped a moment before the release is recorded
        String release = log().awaitAtLeast(2, field("event", "release")).get(1);
        assertTrue(release.contains("heartbeat-emitter: stopped"), release);
    }
}
