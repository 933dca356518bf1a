package dev.hotbackup;

import static dev.hotbackup.testing.ActivityLines.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
import dev.hotbackup.testing.Http;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * hotbackup.takeover.mode=manual: DEAD alerts (mail, activity log, status) but starts nothing; the
 * operator's takeover starts the routes; the host's return stops them as usual.
 */
class ManualTakeoverTest extends ListenerTestSupport {

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.takeover.mode", "manual");
    }

    @Test
    void deadOnlyAlertsUntilAnOperatorTakesOver() throws Exception {
        FakeLiveHost a = beatingHost("serverA");
        a.crash();
        awaitState("serverA", MonitorState.DEAD);
        log().await(1, field("event", "notify"), field("state", "DEAD"));
        assertTrue(status("takeover-a").isStopped(), "manual mode started a route by itself");
        log().await(1, field("event", "notify"), "manual takeover mode");
        eventually(() -> deadMail() != null);
        String mail = deadMail().getContent().toString();
        assertTrue(mail.contains("manual takeover mode"), mail);
        // the call the alert names is the one that works
        assertTrue(mail.contains("POST /hotbackup/monitors/serverA/base/takeover"), mail);

        HttpResponse<String> r =
                Http.post(
                        "http://127.0.0.1:"
                                + HTTP_PORT
                                + "/hotbackup/monitors/serverA/base/takeover",
                        TOKEN,
                        "bob");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(status("takeover-a").isStarted());
        assertTrue(status("takeover-b").isStarted());

        a.restart();
        a.startHeartbeats(100);
        awaitState("serverA", MonitorState.LIVE);
        eventually(() -> status("takeover-a").isStopped());
    }

    private MimeMessage deadMail() throws Exception {
        for (MimeMessage m : MAIL.getReceivedMessages()) {
            if (m.getSubject().contains("is DEAD")) {
                return m;
            }
        }
        return null;
    }
}
