package dev.hotbackup;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.Http;
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
 * /observe/health of a live host: UP while it heartbeats (degraded when its backup cannot be
 * reached: restarting it would not help), DOWN when its heartbeat emitter stops; and
 * /hotbackup/active/{host}, 200 for itself only while it heartbeats.
 */
@CamelMainTest(
        mainClass = HotBackupMain.class,
        properties = {
            "hotbackup.host=serverL",
            "hotbackup.secret=test-secret-0123456789",
            "hotbackup.heartbeat-interval=50ms",
            "hotbackup.state-dir=target/test-state/live-health",
            "hotbackup.listener.activity-log=false"
        },
        propertyPlaceholderLocations = "classpath:hotbackup/camel.properties")
class LiveHostHealthTest {

    private static final LineServer BACKUP = LineServer.open(0);

    private static final String ACTIVE =
            "http://127.0.0.1:" + ListenerTestSupport.HTTP_PORT + "/hotbackup/active/";

    @BeanInject CamelContext context;

    @Configure
    protected void configure(MainConfigurationProperties main) {
        TestProperties.apply(
                main,
                Map.of(
                        "hotbackup.backup-location",
                        "127.0.0.1:" + BACKUP.port(),
                        "hotbackup.http.enabled",
                        "true",
                        "hotbackup.http.bind-address",
                        "127.0.0.1",
                        "hotbackup.http.port",
                        Integer.toString(ListenerTestSupport.HTTP_PORT),
                        "hotbackup.http.observe-port",
                        Integer.toString(ListenerTestSupport.OBSERVE_PORT)));
    }

    @AfterAll
    static void close() throws IOException {
        BACKUP.close();
    }

    @Test
    void upWhileItHeartbeatsDownWhenTheEmitterStops() throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> BACKUP.lines().size() >= 2);
        var up = Http.get(StandbyHealthTest.HEALTH);
        assertEquals(200, up.statusCode(), up.body());
        assertTrue(up.body().contains("\"role\":\"live\""), up.body());
        assertTrue(up.body().contains("\"degraded\":false"), up.body());
        var active = Http.get(ACTIVE + "serverL");
        assertEquals(200, active.statusCode(), active.body());
        assertTrue(active.body().contains("the live host: it heartbeats to"), active.body());
        var other = Http.get(ACTIVE + "serverQ");
        assertEquals(404, other.statusCode(), other.body());
        assertTrue(
                other.body().contains("serverQ is neither this instance (serverL/base)"),
                other.body());

        context.getRouteController().stopRoute("heartbeat-emitter");

        await("health DOWN")
                .atMost(Duration.ofSeconds(10))
                .until(() -> Http.get(StandbyHealthTest.HEALTH).statusCode() == 503);
        // Camel writes the health JSON with every / escaped
        String body = Http.get(StandbyHealthTest.HEALTH).body().replace("\\", "");
        assertTrue(body.contains("heartbeat-emitter is Stopped"), body);
        // a live host that no longer heartbeats may be replaced: not the active one any more
        var stopped = Http.get(ACTIVE + "serverL");
        assertEquals(503, stopped.statusCode(), stopped.body());
        assertTrue(stopped.body().contains("sends no heartbeat"), stopped.body());
    }
}
