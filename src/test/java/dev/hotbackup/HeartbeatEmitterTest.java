package dev.hotbackup;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.emitter.HeartbeatEmitter;
import dev.hotbackup.link.Decoded;
import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.HeartbeatFrame;
import dev.hotbackup.link.Signer;
import dev.hotbackup.probe.ProbeResult;
import dev.hotbackup.probe.ReconfirmProbe;
import dev.hotbackup.testing.LineServer;
import dev.hotbackup.testing.TestProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The live host's side: signed frames to every backup, a probe answer, CLOSE before stopping. */
@CamelMainTest(
        mainClass = HotBackupMain.class,
        properties = {
            "hotbackup.host=serverA",
            "hotbackup.secret=test-secret-0123456789",
            "hotbackup.heartbeat-interval=50ms",
            "hotbackup.state-dir=target/test-state/HeartbeatEmitterTest",
            "hotbackup.listener.activity-log=false"
        },
        propertyPlaceholderLocations = "classpath:hotbackup/camel.properties")
class HeartbeatEmitterTest {

    private static final LineServer BACKUP_1 = LineServer.open(0);
    private static final LineServer BACKUP_2 = LineServer.open(0);

    @BeanInject CamelContext context;

    @BeanInject("heartbeatEmitter")
    HeartbeatEmitter emitter;

    @Configure
    protected void configure(MainConfigurationProperties main) {
        TestProperties.apply(
                main,
                Map.of(
                        "hotbackup.backup-location",
                        "127.0.0.1:" + BACKUP_1.port() + ",127.0.0.1:" + BACKUP_2.port()));
    }

    @AfterAll
    static void close() throws IOException {
        BACKUP_1.close();
        BACKUP_2.close();
    }

    @Test
    void signedFramesReachEveryBackupAndCloseComesLast() throws Exception {
        HeartbeatCodec codec = new HeartbeatCodec(Signer.of("test-secret-0123456789"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> BACKUP_1.lines().size() >= 5 && BACKUP_2.lines().size() >= 5);

        List<String> lines = BACKUP_1.lines();
        HeartbeatFrame previous = null;
        for (String line : lines) {
            Decoded d = codec.decode(line);
            assertTrue(d.isAccepted(), line + " -> " + d);
            assertEquals("serverA", d.frame().host());
            assertEquals(FrameState.LIVE, d.frame().state());
            if (previous != null) {
                assertTrue(d.frame().seq() > previous.seq(), "sequence grows");
                assertEquals(previous.boot(), d.frame().boot());
            }
            previous = d.frame();
        }
        assertEquals(1, BACKUP_1.connections(), "one kept-open connection per backup");

        // the port the frames announce answers the reconfirm probe
        ReconfirmProbe probe =
                new ReconfirmProbe(1000, Signer.of("test-secret-0123456789"), null, "no address");
        probe.start();
        try {
            CompletableFuture<ProbeResult> answer = new CompletableFuture<>();
            probe.probe("127.0.0.1", previous.probePort(), "serverA", "base", answer::complete);
            assertEquals(ProbeResult.answered(), answer.get(5, TimeUnit.SECONDS));
            CompletableFuture<ProbeResult> wrong = new CompletableFuture<>();
            probe.probe("127.0.0.1", previous.probePort(), "serverZ", "base", wrong::complete);
            assertEquals(ProbeResult.Outcome.CLOSED, wrong.get(5, TimeUnit.SECONDS).outcome());
        } finally {
            probe.stop();
        }

        context.stop();

        for (LineServer backup : List.of(BACKUP_1, BACKUP_2)) {
            List<String> all = backup.lines();
            assertEquals(FrameState.CLOSE, codec.decode(all.get(all.size() - 1)).frame().state());
            assertEquals(1, all.stream().filter(l -> l.contains(" CLOSE ")).count());
        }
    }
}
