package dev.hotbackup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.Http;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * /observe/health of a distributed backup: UP with its takeover routes stopped, DOWN when its
 * Backup listener stops (it could no longer notice a host die).
 */
class ListenerHealthTest extends ListenerTestSupport {

    @Test
    void upWhileItListensDownWhenTheListenerStops() throws Exception {
        var up = Http.get(StandbyHealthTest.HEALTH);
        assertEquals(200, up.statusCode(), up.body());
        assertTrue(up.body().contains("\"route.takeover-a\":\"Stopped (standby"), up.body());
        assertTrue(up.body().contains("\"role\":\"backup\""), up.body());

        context.getRouteController().stopRoute("backup-listener");

        log().until(
                        "health DOWN",
                        Duration.ofSeconds(10),
                        () -> Http.get(StandbyHealthTest.HEALTH).statusCode() == 503);
        // Camel writes the health JSON with every / escaped
        String body = Http.get(StandbyHealthTest.HEALTH).body().replace("\\", "");
        assertTrue(body.contains("backup-listener is Stopped"), body);
    }
}
