package dev.hotbackup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One backup for two live hosts, each with its own takeover routes and mail recipients from
 * application.properties keys, and a mail subject and body template for DEAD.
 */
class PerHostRoutesTest extends ListenerTestSupport {

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.takeover.routes.serverA/base", "takeover-a");
        p.put("hotbackup.takeover.routes.serverB/base", "takeover-b");
        p.put("hotbackup.mail.to.serverB/base", "team-b@example.com");
        p.put("hotbackup.mail.subject.dead", "TAKEOVER ${host}/${config}: ${routes}");
        p.put("hotbackup.mail.body.dead", "${host} died (${why}).\\n${outcome}\\n-- ${reporter}");
    }

    @Test
    void eachHostHasItsOwnRoutesAndRecipients() throws Exception {
        FakeLiveHost a = beatingHost("serverA");
        FakeLiveHost b = beatingHost("serverB");

        a.crash();
        awaitState("serverA", MonitorState.DEAD);
        eventually(() -> status("takeover-a").isStarted());
        assertTrue(status("takeover-b").isStopped(), "serverB's route started for serverA");

        b.crash();
        awaitState("serverB", MonitorState.DEAD);
        eventually(() -> status("takeover-b").isStarted());

        a.restart();
        a.startHeartbeats(100);
        awaitState("serverA", MonitorState.LIVE);
        eventually(() -> status("takeover-a").isStopped());
        assertTrue(status("takeover-b").isStarted(), "serverA's return stopped serverB's route");

        eventually(() -> mail("TAKEOVER serverB/base") != null);
        MimeMessage toB = mail("TAKEOVER serverB/base");
        assertEquals("TAKEOVER serverB/base: takeover-b", toB.getSubject());
        assertEquals(
                "[team-b@example.com]",
                Arrays.toString(toB.getRecipients(Message.RecipientType.TO)));
        String body = toB.getContent().toString().replace("\r\n", "\n");
        assertTrue(body.startsWith("serverB died ("), body);
        assertTrue(body.contains("\ntakeover-b: started\n-- backupB"), body);
        MimeMessage toA = mail("TAKEOVER serverA/base");
        assertEquals(
                "[ops@example.com]", Arrays.toString(toA.getRecipients(Message.RecipientType.TO)));
        // LIVE keeps the default template
        eventually(() -> mail("[hotbackup] serverA/base is LIVE") != null);
    }

    private MimeMessage mail(String subjectStart) throws Exception {
        MimeMessage found = null;
        for (MimeMessage m : MAIL.getReceivedMessages()) {
            if (m.getSubject().startsWith(subjectStart)) {
                found = m;
            }
        }
        return found;
    }
}
