package dev.hotbackup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
import dev.hotbackup.testing.Http;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A full backup whose takeover route cannot start: UP in standby, DOWN once it should run it. */
class BrokenTakeoverHealthTest extends ListenerTestSupport {

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.backup", "true");
        p.put("hotbackup.takeover.routes", "takeover-a,takeover-broken");
    }

    @Test
    void aTakeoverRouteThatCannotRunWhileCoveringIsDown() throws Exception {
        assertEquals(200, Http.get(StandbyHealthTest.HEALTH).statusCode());
        FakeLiveHost a = beatingHost("serverA");
        a.crash();
        awaitState("serverA", MonitorState.DEAD);
        log().until(
                        "health DOWN",
                        Duration.ofSeconds(10),
                        () -> Http.get(StandbyHealthTest.HEALTH).statusCode() == 503);
        // Camel writes the health JSON with every / escaped
        String body = Http.get(StandbyHealthTest.HEALTH).body().replace("\\", "");
        assertTrue(
                body.contains("takeover-broken is Stopped although it takes over [serverA/base]"),
                body);
    }
}
