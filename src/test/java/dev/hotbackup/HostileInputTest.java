package dev.hotbackup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.HeartbeatFrame;
import dev.hotbackup.link.RejectReason;
import dev.hotbackup.link.Signer;
import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
import dev.hotbackup.testing.LogCapture;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Throws hostile input at a running listener while a genuine live host keeps heartbeating: the
 * genuine monitor never leaves LIVE, the attack produces no signal, the listener keeps serving,
 * every refusal is counted under its reason, and the log is not flooded.
 */
class HostileInputTest extends ListenerTestSupport {

    private static final Duration IDLE = Duration.ofMillis(700);

    private final List<MonitorState> seen = new CopyOnWriteArrayList<>();
    private final AtomicBoolean watching = new AtomicBoolean(true);
    private final List<Socket> attackers = new ArrayList<>();
    private LogCapture log;
    private Thread watcher;
    private FakeLiveHost genuine;

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.listener.idle-timeout", IDLE.toMillis() + "ms");
        p.put("hotbackup.listener.max-connections-per-address", "12");
        p.put("hotbackup.listener.max-connections", "64");
    }

    @BeforeEach
    void genuineHostAndWatcher() throws Exception {
        log = LogCapture.install();
        genuine = liveHost("genuine");
        genuine.startHeartbeats(100);
        awaitState("genuine", MonitorState.LIVE);
        watcher =
                new Thread(
                        () -> {
                            while (watching.get()) {
                                seen.add(monitors.stateOf("genuine", "base"));
                                try {
                                    TimeUnit.MILLISECONDS.sleep(5);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        });
        watcher.start();
    }

    @AfterEach
    void stopWatching() throws Exception {
        watching.set(false);
        watcher.join();
        for (Socket s : attackers) {
            s.close();
        }
        log.uninstall();
    }

    private Socket attacker() throws Exception {
        Socket s = new Socket("127.0.0.1", LISTENER_PORT);
        attackers.add(s);
        return s;
    }

    private static void write(Socket s, byte[] bytes) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void awaitCount(RejectReason reason, long count) {
        log().until(
                        reason.code() + " count " + count,
                        Duration.ofSeconds(20),
                        () -> rejections.count(reason) >= count);
    }

    @Test
    void hostileInputChangesNothingAndIsCountedByReason() throws Exception {
        Random random = new Random(42);

        // frames that look right: bad signature, modified field, wrong version, replayed; sent
        // first, on a connection of their own, so they are judged whatever the noise does later
        log().until(
                        "five genuine frames to record",
                        Duration.ofSeconds(5),
                        () -> genuine.written().size() >= 5);
        HeartbeatCodec forger = new HeartbeatCodec(Signer.of("guessed"));
        Socket e = attacker();
        String recorded = genuine.written().get(1);
        write(
                e,
                ascii(
                        forger.encode(
                                        new HeartbeatFrame(
                                                "genuine",
                                                "base",
                                                FrameState.CLOSE,
                                                Long.MAX_VALUE / 2,
                                                1,
                                                0))
                                + "\n"));
        write(e, ascii(recorded.replace(" LIVE ", " CLOSE ") + "\n"));
        write(e, ascii(recorded.replaceFirst("^HB1", "HB9") + "\n"));
        for (String line : genuine.written().subList(0, 5)) {
            write(e, ascii(line + "\n"));
        }

        // random bytes: lines of noise, non-ASCII and NUL included
        byte[] noise = new byte[64 * 1024];
        random.nextBytes(noise);
        Socket a = attacker();
        write(a, noise);
        write(a, ascii("\n"));

        // invalid UTF-8 and NUL bytes in otherwise frame-like lines
        write(a, new byte[] {'H', 'B', '1', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
        write(a, new byte[] {'H', 'B', '1', 0, 0, 0, '\n'});

        // megabytes without a newline
        Socket b = attacker();
        byte[] mb = new byte[1024 * 1024];
        Arrays.fill(mb, (byte) 'A');
        for (int i = 0; i < 4; i++) {
            write(b, mb);
        }

        // a flood of short lines
        Socket c = attacker();
        StringBuilder flood = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            flood.append("x\n");
        }
        write(c, ascii(flood.toString()));

        // a partial frame left hanging, and a slow sender that never finishes a line
        Socket d = attacker();
        write(d, ascii(genuine.written().get(0).substring(0, 30)));
        Socket slow = attacker();
        try {
            for (int i = 0; i < 20; i++) {
                write(slow, ascii("H"));
                TimeUnit.MILLISECONDS.sleep(100);
            }
        } catch (IOException closedByTheListener) {
            // the listener closed it for idleness: what we want
        }

        // many idle connections: some are refused at once, the rest closed when idle
        for (int i = 0; i < 20; i++) {
            attacker();
        }

        awaitCount(RejectReason.ENCODING, 2);
        awaitCount(RejectReason.OVERSIZED, 1);
        awaitCount(RejectReason.MALFORMED, 50_000);
        awaitCount(RejectReason.BAD_SIGNATURE, 2);
        awaitCount(RejectReason.VERSION, 1);
        awaitCount(RejectReason.REPLAYED, 5);
        awaitCount(RejectReason.TOO_MANY_CONNECTIONS, 1);
        awaitCount(RejectReason.IDLE, 3);

        // the listener kept serving the genuine host throughout, and nothing was signalled
        assertEquals(ServiceStatus.Started, status("backup-listener"));
        assertTrue(seen.size() > 100, "watched " + seen.size() + " times");
        assertTrue(
                seen.stream().allMatch(s -> s == MonitorState.LIVE),
                "the genuine host left LIVE: " + seen.stream().distinct().toList());
        assertEquals(List.of("LIVE"), signalStates("genuine"));
        assertEquals(1, signalBodies().size(), String.valueOf(signalBodies()));
        try (Socket fresh = new Socket("127.0.0.1", LISTENER_PORT)) {
            assertTrue(fresh.isConnected());
        }

        // the flood of 50,000 malformed lines made a handful of log lines, not 50,000
        int warnings = log.containing("Refused ").size();
        assertTrue(warnings <= 2 * RejectReason.values().length, warnings + " log lines");
    }

    @Test
    void replaysDoNotKeepADeadHostLiveNorComeBackAfterItRestarts() throws Exception {
        List<String> recorded = genuine.written();
        watching.set(false);
        genuine.crash();
        Socket replayer = attacker();
        // replayed all along while the host is dead
        Thread replay =
                new Thread(
                        () -> {
                            try {
                                for (int round = 0; round < 30; round++) {
                                    for (String line : recorded) {
                                        write(replayer, ascii(line + "\n"));
                                    }
                                    TimeUnit.MILLISECONDS.sleep(100);
                                }
                            } catch (Exception ex) {
                                // connection closed: fine
                            }
                        });
        replay.start();
        awaitState("genuine", MonitorState.DEAD);
        replay.join();
        assertTrue(rejections.count(RejectReason.REPLAYED) >= recorded.size());
        assertEquals(MonitorState.DEAD, monitors.stateOf("genuine", "base"));

        // the host restarts: frames of its earlier run stay refused
        genuine.restart();
        genuine.send(FrameState.LIVE);
        awaitState("genuine", MonitorState.LIVE);
        Socket late = attacker();
        for (String line : recorded) {
            write(late, ascii(line + "\n"));
        }
        awaitCount(RejectReason.STALE_BOOT, recorded.size());
        assertEquals(List.of("LIVE", "DEAD", "LIVE"), signalStates("genuine"));
    }
}
