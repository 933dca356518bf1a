package dev.hotbackup.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatFrame;
import dev.hotbackup.link.RejectReason;
import dev.hotbackup.link.Rejections;
import dev.hotbackup.probe.ProbeResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The monitor's parts on a fake clock (milliseconds), with no Camel and no sockets: frames in, the
 * silence timer's ticks, probe results, and the transitions that come out, in order.
 */
class MonitorFlowTest {

    private static final long THRESHOLD = 1000;
    private static final long LEAD = 350;
    private static final long RETENTION = 60_000;

    private final AtomicLong millis = new AtomicLong(1_000_000);
    private final ActivityLog activity = new ActivityLog(false, Path.of("target/unused.log"));
    private final Rejections rejections = new Rejections(activity);
    private final Monitors monitors = new Monitors(() -> ns(millis.get()));
    private final Journal journal = new Journal(null, monitors);
    private final FrameIntake intake =
            new FrameIntake(monitors, new AllowList(List.of()), rejections);
    private final List<String> sent = new ArrayList<>();
    private boolean overloaded;
    private final Reconfirm reconfirm =
            new Reconfirm(
                    monitors,
                    ns(THRESHOLD),
                    ns(LEAD),
                    true,
                    () -> overloaded,
                    activity,
                    new Later());
    private final SilenceTimer timer =
            new SilenceTimer(
                    monitors, reconfirm, journal, intake, activity, ns(RETENTION), () -> true);
    private final List<String> events = new ArrayList<>();
    private final MonitorKey a = new MonitorKey("serverA", "base");
    private long seq;

    MonitorFlowTest() {
        monitors.listen(journal);
        monitors.listen(
                e -> events.add(e.key() + " " + e.from() + "->" + e.to() + ": " + e.detail()));
        reconfirm.sender((id, cause, connection) -> sent.add(id + " " + cause + " " + connection));
    }

    private static long ns(long ms) {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }

    private void at(long ms) {
        millis.set(1_000_000 + ms);
    }

    private void frame(FrameState state) {
        frame(state, 1, ++seq);
    }

    private void frame(FrameState state, long boot, long sequence) {
        intake.accept(
                new HeartbeatFrame("serverA", "base", state, boot, sequence, 7801),
                "/127.0.0.1:50000",
                "127.0.0.1");
    }

    private MonitorState state() {
        Monitor m = monitors.get(a);
        return m == null ? null : m.state;
    }

    @Test
    void theFirstFrameIsLiveAndACloseFrameIsClose() {
        frame(FrameState.LIVE);
        frame(FrameState.LIVE);
        frame(FrameState.CLOSE);
        frame(FrameState.LIVE);
        assertEquals(
                List.of(
                        "serverA/base WAITING->LIVE: first heartbeat",
                        "serverA/base LIVE->CLOSE: the host is stopping normally",
                        "serverA/base CLOSE->LIVE: heartbeats again after CLOSE"),
                events);
        assertEquals(4, intake.accepted());
    }

    @Test
    void aSilentHostIsProbedALeadBeforeItsThresholdAndIsDeadExactlyAtIt() {
        at(0);
        frame(FrameState.LIVE);
        at(THRESHOLD - LEAD - 1);
        assertEquals(List.of(), timer.tick());
        at(THRESHOLD - LEAD);
        assertEquals(List.of(a.id()), timer.tick());
        assertEquals(List.of(a.id() + " SILENCE null"), sent, "handed to the reconfirm route");
        Reconfirm.Target t = reconfirm.start(a.id(), Verdict.Cause.SILENCE, null);
        assertEquals(new Reconfirm.Target("serverA", "base", "127.0.0.1", 7801), t);
        // the probe is out: no second one
        assertNull(reconfirm.start(a.id(), Verdict.Cause.SILENCE, null));

        at(THRESHOLD - 100);
        reconfirm.result(a.id(), Verdict.Cause.SILENCE, ProbeResult.timedOut(250));
        assertEquals(MonitorState.LIVE, state(), "not DEAD before the threshold");
        at(THRESHOLD - 20);
        timer.tick();
        assertEquals(MonitorState.LIVE, state());

        at(THRESHOLD);
        timer.tick();
        assertEquals(MonitorState.DEAD, state());
        assertEquals(
                "serverA/base LIVE->DEAD: silent for 1.0 s; probe: no answer within 250 ms",
                events.get(1));
    }

    @Test
    void aFrameWhileTheProbeIsOutMakesItsResultVoid() {
        at(0);
        frame(FrameState.LIVE);
        at(THRESHOLD);
        assertNotNull(reconfirm.start(a.id(), Verdict.Cause.SILENCE, null));
        frame(FrameState.LIVE);
        reconfirm.result(a.id(), Verdict.Cause.SILENCE, ProbeResult.refused());
        timer.tick();
        assertEquals(MonitorState.LIVE, state());
        assertEquals(1, events.size(), events.toString());
    }

    @Test
    void anAnsweredProbeKeepsTheHostLiveAndRestartsItsQuietTime() {
        at(0);
        frame(FrameState.LIVE);
        at(THRESHOLD);
        assertNotNull(reconfirm.start(a.id(), Verdict.Cause.SILENCE, null));
        reconfirm.result(a.id(), Verdict.Cause.SILENCE, ProbeResult.answered());
        assertEquals(MonitorState.LIVE, state());
        at(THRESHOLD + 100);
        assertEquals(List.of(), timer.tick(), "quiet again since the answer only");
        at(2 * THRESHOLD - LEAD);
        assertEquals(List.of(a.id()), timer.tick());
    }

    @Test
    void aDroppedConnectionOfAVerifiedHostIsProbedAtOnceAndARefusalIsDead() {
        at(0);
        frame(FrameState.LIVE);
        monitors.get(a).probeVerified = Boolean.TRUE;
        at(30);
        reconfirm.connectionClosed("/127.0.0.1:59999");
        assertEquals(List.of(), sent, "not its connection");
        reconfirm.connectionClosed("/127.0.0.1:50000");
        assertEquals(List.of(a.id() + " DISCONNECT /127.0.0.1:50000"), sent);
        assertNotNull(reconfirm.start(a.id(), Verdict.Cause.DISCONNECT, "/127.0.0.1:50000"));
        reconfirm.result(a.id(), Verdict.Cause.DISCONNECT, ProbeResult.refused());
        assertEquals(MonitorState.DEAD, state());
        assertTrue(
                events.get(1)
                        .endsWith("connection closed without CLOSE; probe: connection refused"));
    }

    @Test
    void anUnverifiedHostIsLeftToTheThresholdWhenItsConnectionDrops() {
        at(0);
        frame(FrameState.LIVE);
        reconfirm.connectionClosed("/127.0.0.1:50000");
        assertEquals(List.of(), sent);
    }

    @Test
    void aTimeoutWhileOverloadedIsNotDeath() {
        at(0);
        frame(FrameState.LIVE);
        at(THRESHOLD + 500);
        overloaded = true;
        assertNotNull(reconfirm.start(a.id(), Verdict.Cause.SILENCE, null));
        reconfirm.result(a.id(), Verdict.Cause.SILENCE, ProbeResult.timedOut(250));
        assertEquals(MonitorState.LIVE, state());
    }

    @Test
    void replayedAndStaleFramesAreRefusedAndChangeNothing() {
        frame(FrameState.LIVE, 5, 10);
        frame(FrameState.CLOSE, 5, 10);
        frame(FrameState.CLOSE, 5, 9);
        frame(FrameState.CLOSE, 4, 99);
        assertEquals(MonitorState.LIVE, state());
        assertEquals(2, rejections.count(RejectReason.REPLAYED));
        assertEquals(1, rejections.count(RejectReason.STALE_BOOT));
        frame(FrameState.LIVE, 6, 1);
        assertEquals(MonitorState.LIVE, state(), "a new run of the host is accepted");
        assertEquals(2, intake.accepted());
    }

    @Test
    void anExpectedHostNeverHeardIsDeadAfterTheThreshold() {
        at(0);
        monitors.getOrCreate(a, ns(millis.get())).expected = true;
        at(THRESHOLD - 50);
        assertEquals(List.of(), timer.tick());
        at(THRESHOLD);
        assertEquals(List.of(a.id()), timer.tick());
        assertNotNull(reconfirm.start(a.id(), Verdict.Cause.SILENCE, null));
        reconfirm.result(
                a.id(),
                Verdict.Cause.SILENCE,
                ProbeResult.unreachable("no address known to probe"));
        assertEquals(
                List.of(
                        "serverA/base WAITING->DEAD: not heard in 1.0 s since the listener"
                                + " started; probe: no address known to probe"),
                events);
    }

    @Test
    void aForgottenHostKeepsItsWatermark() {
        at(0);
        frame(FrameState.LIVE, 3, 50);
        frame(FrameState.CLOSE, 3, 51);
        at(RETENTION + 1);
        timer.tick();
        assertNull(state(), "forgotten after the retention");
        frame(FrameState.LIVE, 3, 40);
        assertNull(state(), "an old frame does not bring it back");
        assertEquals(1, rejections.count(RejectReason.REPLAYED));
        frame(FrameState.LIVE, 3, 52);
        assertEquals(MonitorState.LIVE, state());
    }
}
