package dev.hotbackup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.FakeLiveHost;
import dev.hotbackup.testing.Http;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * /observe/health of a full backup: UP while it stands by with every takeover route stopped (a
 * readiness probe must not page on every standby), and UP while it covers a DEAD host.
 */
class StandbyHealthTest extends ListenerTestSupport {

    static final String HEALTH = "http://127.0.0.1:" + OBSERVE_PORT + "/observe/health?data=true";

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.backup", "true");
        p.put("hotbackup.takeover.routes", "takeover-a,takeover-auto");
    }

    @Test
    void aFullBackupInStandbyIsUpAndCoveringIsUpToo() throws Exception {
        HttpResponse<String> standby = Http.get(HEALTH);
        assertEquals(200, standby.statusCode(), standby.body());
        assertTrue(standby.body().startsWith("{\"status\":\"UP\""), standby.body());
        assertTrue(
                standby.body().contains("\"route.takeover-auto\":\"Stopped (standby: started on"),
                standby.body());
        assertTrue(standby.body().contains("\"role\":\"standby\""), standby.body());

        FakeLiveHost a = beatingHost("serverA");
        a.crash();
        log().until("takeover", Duration.ofSeconds(10), () -> status("takeover-a").isStarted());
        HttpResponse<String> takenOver = Http.get(HEALTH);
        assertEquals(200, takenOver.statusCode(), takenOver.body());
        assertTrue(
                takenOver
                        .body()
                        .replace("\\", "")
                        .contains(
                                "\"route.takeover-a\":\"Started (taken over from [serverA/base])"),
                takenOver.body());
    }
}
