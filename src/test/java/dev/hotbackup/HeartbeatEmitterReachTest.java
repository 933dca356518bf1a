package dev.hotbackup;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.emitter.HeartbeatEmitter;
import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.Signer;
import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.LineServer;
import dev.hotbackup.testing.TestProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A backup that cannot be reached holds up neither the heartbeat to the other nor the next frame to
 * itself: it is reported unreachable, reached once it listens, and gets the CLOSE too.
 */
@CamelMainTest(
        mainClass = HotBackupMain.class,
        properties = {
            "hotbackup.host=serverA",
            "hotbackup.secret=test-secret-0123456789",
            "hotbackup.heartbeat-interval=50ms",
            "hotbackup.state-dir=target/test-state/HeartbeatEmitterReachTest",
            "hotbackup.listener.activity-log=false"
        },
        propertyPlaceholderLocations = "classpath:hotbackup/camel.properties")
class HeartbeatEmitterReachTest {

    private static final LineServer UP = LineServer.open(0);
    private static final int DOWN_PORT = FreePorts.next();
    private static LineServer later;

    @BeanInject CamelContext context;

    @BeanInject("heartbeatEmitter")
    HeartbeatEmitter emitter;

    @Configure
    protected void configure(MainConfigurationProperties main) {
        TestProperties.apply(
                main,
                Map.of(
                        "hotbackup.backup-location",
                        "127.0.0.1:" + UP.port() + ",127.0.0.1:" + DOWN_PORT));
    }

    @AfterAll
    static void close() throws IOException {
        UP.close();
        if (later != null) {
            later.close();
        }
    }

    @Test
    void anUnreachableBackupHoldsUpNothingAndIsReachedOnceItListens() throws Exception {
        String down = "127.0.0.1:" + DOWN_PORT;
        await("the unreachable backup reported")
                .atMost(Duration.ofSeconds(5))
                .until(() -> emitter.unreachable().containsKey(down));
        int before = UP.lines().size();
        // 50 ms heartbeats: 20 in a second; the other backup's refusals must not slow them
        await("heartbeats to the reachable backup go on at their pace")
                .atMost(Duration.ofSeconds(3))
                .until(() -> UP.lines().size() >= before + 20);
        assertEquals(List.of(down), List.copyOf(emitter.unreachable().keySet()));

        later = LineServer.open(DOWN_PORT);
        await("the backup reached once it listens")
                .atMost(Duration.ofSeconds(5))
                .until(() -> emitter.unreachable().isEmpty() && later.lines().size() >= 3);

        context.stop();
        HeartbeatCodec codec = new HeartbeatCodec(Signer.of("test-secret-0123456789"));
        for (LineServer backup : List.of(UP, later)) {
            List<String> all = backup.lines();
            assertEquals(
                    FrameState.CLOSE,
                    codec.decode(all.get(all.size() - 1)).frame().state(),
                    "CLOSE last");
            assertTrue(all.stream().filter(l -> l.contains(" CLOSE ")).count() == 1, "one CLOSE");
        }
    }
}
