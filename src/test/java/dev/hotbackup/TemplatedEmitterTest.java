package dev.hotbackup;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.Signer;
import dev.hotbackup.testing.LineServer;
import dev.hotbackup.testing.TestProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The emitter template instantiated from YAML and XML (test-emitter/): with the pack's own emitter
 * route stopped, each instance alone keeps signed frames flowing to the backup.
 */
@CamelMainTest(
        mainClass = HotBackupMain.class,
        properties = {
            "hotbackup.host=serverT",
            "hotbackup.secret=test-secret-0123456789",
            "hotbackup.heartbeat-interval=50ms",
            "hotbackup.state-dir=target/test-state/TemplatedEmitterTest",
            "hotbackup.listener.activity-log=false",
            "camel.main.routes-include-pattern="
                    + "classpath:test-emitter/*.camel.yaml,classpath:test-emitter/*.camel.xml"
        },
        propertyPlaceholderLocations = "classpath:hotbackup/camel.properties")
class TemplatedEmitterTest {

    private static final LineServer BACKUP = LineServer.open(0);

    @BeanInject CamelContext context;

    @Configure
    protected void configure(MainConfigurationProperties main) {
        TestProperties.apply(
                main, Map.of("hotbackup.backup-location", "127.0.0.1:" + BACKUP.port()));
    }

    @AfterAll
    static void close() throws IOException {
        BACKUP.close();
    }

    @Test
    void eachInstanceEmitsSignedFramesOnItsOwn() throws Exception {
        HeartbeatCodec codec = new HeartbeatCodec(Signer.of("test-secret-0123456789"));
        context.getRouteController().stopRoute("heartbeat-emitter");
        for (String only : new String[] {"templated-emitter-yaml", "templated-emitter-xml"}) {
            String other =
                    only.endsWith("yaml") ? "templated-emitter-xml" : "templated-emitter-yaml";
            context.getRouteController().stopRoute(other);
            context.getRouteController().startRoute(only);
            int before = BACKUP.lines().size();
            await(only + " alone sends frames")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> BACKUP.lines().size() >= before + 5);
            String last = BACKUP.lines().get(BACKUP.lines().size() - 1);
            assertTrue(codec.decode(last).isAccepted(), last);
        }
    }
}
