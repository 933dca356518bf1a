package dev.hotbackup;

import static dev.hotbackup.testing.ActivityLines.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.HeartbeatFrame;
import dev.hotbackup.link.RejectReason;
import dev.hotbackup.monitor.MonitorRegistry;
import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.Http;
import dev.hotbackup.testing.LogCapture;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * What the Backup listener and the signal router do, from the outside: frames in over a real
 * socket, signals, route states, activity log and mail out. Run once against the YAML routes and
 * once against their XML twins.
 */
abstract class BackupListenerBehaviour extends ListenerTestSupport {

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.takeover.routes", "takeover-a,takeover-broken,takeover-b");
    }

    @Test
    void firstHeartbeatSignalsLive() throws Exception {
        FakeLiveHost a = liveHost("serverA");
        assertNull(monitors.stateOf("serverA", "base"));

        a.send(FrameState.LIVE);

        awaitState("serverA", MonitorState.LIVE);
        eventually(() -> signalStates("serverA").equals(List.of("LIVE")));
        assertEquals(List.of("<signal host='serverA' config='base'>LIVE</signal>"), signalBodies());
        log().await(1, field("event", "signal"), field("state", "LIVE"));
    }

    @Test
    void deadAfterThresholdWhenProbeIsRefused() throws Exception {
        FakeLiveHost a = beatingHost("serverA");

        // silent, nothing listens on its probe port, but its connection stays open
        long last = a.stopHeartbeats();
        a.stopAnsweringPort();
        awaitState("serverA", MonitorState.DEAD);
        long silentMillis = (System.nanoTime() - last) / 1_000_000;

        assertTrue(
                silentMillis >= THRESHOLD.toMillis() - 15,
                "DEAD after only " + silentMillis + " ms of silence");
        eventually(() -> signalStates("serverA").equals(List.of("LIVE", "DEAD")));
        log().await(
                        1,
                        field("event", "signal"),
                        field("state", "DEAD"),
                        "silent for",
                        "probe: connection refused");
    }

    @Test
    void killedProcessIsDeadAsSoonAsItsConnectionCloses() throws Exception {
        FakeLiveHost a = beatingHost("serverA");
        // the fast path is for hosts whose probe answered when they became LIVE
        log().await(1, field("event", "probe"), MonitorRegistry.VERIFIED);

        a.crash();

        awaitState("serverA", MonitorState.DEAD);
        log().await(
                        1,
                        field("state", "DEAD"),
                        "connection closed without CLOSE; probe: connection refused");
    }

    @Test
    void droppedConnectionOfAHostThatStillAnswersIsNotDead() throws Exception {
        FakeLiveHost a = beatingHost("serverA");

        a.stopHeartbeats();
        a.dropConnection();

        // probed at once and again before the threshold: it answers, so it stays LIVE
        log().awaitAtLeast(2, field("event", "probe"), "probe answered");
        assertEquals(MonitorState.LIVE, monitors.stateOf("serverA", "base"));
        assertEquals(List.of("LIVE"), signalStates("serverA"));
    }

    @Test
    void aProbePortThatNeverAnsweredDoesNotFailOverOnDisconnect() throws Exception {
        FakeLiveHost a = liveHost("serverA");
        a.announceProbePort(FreePorts.next());
        a.startHeartbeats(100);
        awaitState("serverA", MonitorState.LIVE);

        long crashed = System.nanoTime();
        a.crash();

        awaitState("serverA", MonitorState.DEAD);
        // the threshold runs from the last frame, up to one heartbeat (100 ms) before the crash;
        // a shortcut on disconnect would be DEAD within a probe's time of it
        long after = (System.nanoTime() - crashed) / 1_000_000;
        assertTrue(
                after >= THRESHOLD.toMillis() - 100 - 15,
                "a probe port never verified must not shortcut the threshold: DEAD "
                        + after
                        + " ms after the crash");
        log().await(1, field("state", "DEAD"), "silent for");
    }

    @Test
    void deadWhenProcessAnswersNoProbe() throws Exception {
        FakeLiveHost a = beatingHost("serverA");

        a.answerProbes(false);
        a.stopHeartbeats();

        awaitState("serverA", MonitorState.DEAD);
        log().await(1, field("state", "DEAD"), "closed without an answer");
    }

    @Test
    void noDeadWhileTheProbeIsAnswered() throws Exception {
        FakeLiveHost a = beatingHost("serverA");

        a.stopHeartbeats();

        // the silence timer probes it near the threshold, and again a threshold later: both
        // answered
        log().awaitAtLeast(2, field("event", "probe"), "probe answered");
        assertEquals(MonitorState.LIVE, monitors.stateOf("serverA", "base"));
        assertEquals(List.of("LIVE"), signalStates("serverA"));
    }

    @Test
    void silenceAfterCloseIsNotDead() throws Exception {
        FakeLiveHost a = liveHost("serverA");
        a.send(FrameState.LIVE);
        awaitState("serverA", MonitorState.LIVE);

        a.send(FrameState.CLOSE);
        awaitState("serverA", MonitorState.CLOSE);
        a.crash();

        log().holds(
                        "the condition",
                        THRESHOLD.multipliedBy(3),
                        THRESHOLD.multipliedBy(4),
                        () -> monitors.stateOf("serverA", "base") == MonitorState.CLOSE);
        assertEquals(List.of("LIVE", "CLOSE"), signalStates("serverA"));
    }

    @Test
    void liveAgainAfterDead() throws Exception {
        FakeLiveHost a = beatingHost("serverA");
        a.crash();
        awaitState("serverA", MonitorState.DEAD);

        beatsAgain(a);
        eventually(() -> signalStates("serverA").equals(List.of("LIVE", "DEAD", "LIVE")));
    }

    @Test
    void liveAgainAfterClose() throws Exception {
        FakeLiveHost a = liveHost("serverA");
        a.send(FrameState.LIVE);
        a.send(FrameState.CLOSE);
        awaitState("serverA", MonitorState.CLOSE);

        a.send(FrameState.LIVE);

        awaitState("serverA", MonitorState.LIVE);
        eventually(() -> signalStates("serverA").equals(List.of("LIVE", "CLOSE", "LIVE")));
    }

    @Test
    void deadSignalStartsTakeoverRoutesAndLiveStopsThem() throws Exception {
        assertEquals(ServiceStatus.Stopped, status("takeover-a"));
        FakeLiveHost a = beatingHost("serverA");

        a.crash();
        eventually(() -> status("takeover-a").isStarted() && status("takeover-b").isStarted());
        eventually(() -> !log().matching(field("event", "takeover")).isEmpty());
        String takeover = log().matching(field("event", "takeover")).get(0);
        assertTrue(takeover.contains("takeover-a: started"), takeover);
        assertTrue(takeover.contains("takeover-b: started"), takeover);

        a.restart();
        a.startHeartbeats(100);
        eventually(() -> status("takeover-a").isStopped() && status("takeover-b").isStopped());
        log().await(1, field("event", "release"), "takeover-a: stopped");
    }

    @Test
    void routeThatFailsToStartIsReportedWithItsCauseAndTheOthersStillStart() throws Exception {
        FakeLiveHost a = liveHost("serverA");
        a.send(FrameState.LIVE);
        awaitState("serverA", MonitorState.LIVE);

        a.crash();
        eventually(() -> !log().matching(field("event", "takeover")).isEmpty());

        String takeover = log().matching(field("event", "takeover")).get(0);
        assertTrue(takeover.matches(".*takeover-broken: failed to start: \\S.*"), takeover);
        assertTrue(status("takeover-a").isStarted() && status("takeover-b").isStarted());
    }

    @Test
    void takeoverOfARunningRouteIsReportedAsAlreadyRunning() throws Exception {
        FakeLiveHost a = liveHost("serverA");
        a.send(FrameState.LIVE);
        awaitState("serverA", MonitorState.LIVE);
        eventually(() -> !log().matching(field("event", "release")).isEmpty());
        context.getRouteController().startRoute("takeover-a");

        a.crash();

        log().await(1, field("event", "takeover"), "takeover-a: already running");
    }

    @Test
    void twoMonitoredHostsHaveTheirOwnStateAndSignals() throws Exception {
        FakeLiveHost a = liveHost("serverA");
        FakeLiveHost c = liveHost("serverC");
        a.startHeartbeats(100);
        c.startHeartbeats(100);
        awaitState("serverA", MonitorState.LIVE);
        awaitState("serverC", MonitorState.LIVE);

        a.crash();
        awaitState("serverA", MonitorState.DEAD);
        log().holds(
                        "the condition",
                        THRESHOLD.multipliedBy(2),
                        THRESHOLD.multipliedBy(3),
                        () -> monitors.stateOf("serverC", "base") == MonitorState.LIVE);
        assertEquals(List.of("LIVE"), signalStates("serverC"));
        assertEquals(List.of("LIVE", "DEAD"), signalStates("serverA"));
        assertTrue(status("takeover-a").isStarted());

        // serverC dies and comes back while serverA is still DEAD: the routes stay, serverA needs
        // them
        c.crash();
        awaitState("serverC", MonitorState.DEAD);
        c.restart();
        c.startHeartbeats(100);
        awaitState("serverC", MonitorState.LIVE);
        log().await(1, field("event", "release"), field("host", "serverC"), "kept running");
        assertTrue(status("takeover-a").isStarted());
    }

    @Test
    void signalXmlEscapesNamesAndKeepsThemIntact() throws Exception {
        String name = "it's <a> & \"b\"\n\tline two: Zoë ✓";
        FakeLiveHost odd = liveHost(name);
        odd.send(FrameState.LIVE);

        awaitState(name, MonitorState.LIVE);
        eventually(() -> signalBodies().size() == 1);
        String xml = signalBodies().get(0);
        Element signal =
                DocumentBuilderFactory.newInstance()
                        .newDocumentBuilder()
                        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                        .getDocumentElement();
        assertEquals("signal", signal.getTagName());
        assertEquals(name, signal.getAttribute("host"));
        assertEquals("base", signal.getAttribute("config"));
        assertEquals("LIVE", signal.getTextContent());
    }

    @Test
    void mailForEachSignalReachesTheSmtpServer() throws Exception {
        FakeLiveHost m = liveHost("mailHost");
        m.send(FrameState.LIVE);
        awaitState("mailHost", MonitorState.LIVE);
        m.crash();

        eventually(() -> mailsAbout("mailHost").size() == 2);
        List<MimeMessage> mails = mailsAbout("mailHost");
        assertEquals("[hotbackup] mailHost/base is LIVE", mails.get(0).getSubject());
        MimeMessage dead = mails.get(1);
        assertEquals("[hotbackup] mailHost/base is DEAD", dead.getSubject());
        assertEquals("ops@example.com", dead.getAllRecipients()[0].toString());
        String body = ((String) dead.getContent()).replace("\r\n", "\n");
        assertTrue(body.contains("State:       DEAD"), body);
        assertTrue(body.contains("Action:      takeover"), body);
        assertTrue(body.contains("takeover-a: started"), body);
        assertTrue(body.contains("takeover-broken: failed to start"), body);
        assertTrue(body.contains("Reported by: backupB"), body);
        assertTrue(body.contains("probe: connection refused"), body);
        log().await(2, field("event", "mail-sent"), field("host", "mailHost"));
    }

    private static List<MimeMessage> mailsAbout(String host) throws Exception {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage message : MAIL.getReceivedMessages()) {
            if (message.getSubject().contains(" " + host + "/")) {
                out.add(message);
            }
        }
        return out;
    }

    @Test
    void forgedFrameIsRefusedAndChangesNothing() throws Exception {
        LogCapture log = LogCapture.install();
        FakeLiveHost forger =
                new FakeLiveHost("serverA", "base", "not-the-secret-0123456789", LISTENER_PORT)
                        .start();
        try {
            forger.send(FrameState.LIVE);
            eventually(() -> rejections.count(RejectReason.BAD_SIGNATURE) == 1);
        } finally {
            forger.close();
            log.uninstall();
        }
        assertNull(monitors.stateOf("serverA", "base"));
        assertTrue(signalBodies().isEmpty());
        log().await(1, field("event", "rejected"), "bad-signature");
        // two hosts with different secrets: the log and the status page say so, and name the host
        String why =
                "frames from 127.0.0.1 fail the signature check: are hotbackup.secret the same on"
                        + " both hosts?";
        assertEquals(1, log.containing(why).size(), String.join("\n", log.lines()));
        assertTrue(log.containing(why).get(0).contains("it names serverA/base"));
        String status = Http.get("http://127.0.0.1:" + HTTP_PORT + "/hotbackup/status").body();
        assertTrue(
                status.contains(
                        "\"refused\":[{\"host\":\"serverA\",\"config\":\"base\",\"state\":\"REFUSED\""),
                status);
        assertTrue(status.contains(why), status);
        log().until(
                        "the refused host in the metrics",
                        Duration.ofSeconds(10),
                        () ->
                                Http.get("http://127.0.0.1:" + OBSERVE_PORT + "/observe/metrics")
                                        .body()
                                        .contains(
                                                "hotbackup_frames_refused_signature{address=\"127.0.0.1\",config=\"base\",host=\"serverA\"} 1.0"));
    }

    @Test
    void modifiedFrameIsRefused() throws Exception {
        FakeLiveHost a = liveHost("serverA");
        String genuine = a.send(FrameState.LIVE);
        awaitState("serverA", MonitorState.LIVE);

        a.sendLine(genuine.replace(" LIVE ", " CLOSE "));
        a.sendLine(genuine.replace("serverA", "serverX"));

        eventually(() -> rejections.count(RejectReason.BAD_SIGNATURE) == 2);
        assertEquals(MonitorState.LIVE, monitors.stateOf("serverA", "base"));
        assertNull(monitors.stateOf("serverX", "base"));
    }

    @Test
    void replayedFramesAreRefused() throws Exception {
        FakeLiveHost a = liveHost("serverA");
        a.send(FrameState.LIVE);
        a.send(FrameState.LIVE);
        a.send(FrameState.CLOSE);
        awaitState("serverA", MonitorState.CLOSE);

        // a recorded LIVE frame must not bring a CLOSEd host back
        a.sendLine(a.written().get(1));
        eventually(() -> rejections.count(RejectReason.REPLAYED) == 1);

        // nor may frames of an earlier run after the host restarted
        List<String> firstRun = a.written();
        a.restart();
        a.send(FrameState.LIVE);
        awaitState("serverA", MonitorState.LIVE);
        a.sendLine(firstRun.get(2));
        eventually(() -> rejections.count(RejectReason.STALE_BOOT) == 1);
        assertEquals(List.of("LIVE", "CLOSE", "LIVE"), signalStates("serverA"));
    }

    @Test
    void badInputIsCountedAndTheConnectionKeepsServing() throws Exception {
        FakeLiveHost a = liveHost("serverA");
        a.sendBytes(
                ("A".repeat(HeartbeatCodec.MAX_FRAME_LENGTH * 5) + "\n")
                        .getBytes(StandardCharsets.US_ASCII));
        a.sendBytes(new byte[] {'H', 'B', '1', 0, (byte) 0xC3, (byte) 0x28, '\n'});
        a.sendLine("HB2 a b LIVE 1 1 0 -");
        a.sendLine("hello");
        String unsigned =
                new HeartbeatCodec(null)
                        .encode(new HeartbeatFrame("serverA", "base", FrameState.LIVE, 1, 1, 0));
        a.sendLine(unsigned);
        a.send(FrameState.LIVE);

        awaitState("serverA", MonitorState.LIVE);
        assertEquals(1, rejections.count(RejectReason.OVERSIZED));
        assertEquals(1, rejections.count(RejectReason.ENCODING));
        assertEquals(1, rejections.count(RejectReason.VERSION));
        assertEquals(1, rejections.count(RejectReason.MALFORMED));
        assertEquals(1, rejections.count(RejectReason.UNSIGNED));
        assertEquals(List.of("LIVE"), signalStates("serverA"));
    }
}
