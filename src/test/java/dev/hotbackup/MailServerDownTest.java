package dev.hotbackup;

import static dev.hotbackup.testing.ActivityLines.field;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.link.FrameState;
import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
import dev.hotbackup.testing.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A mail server that refuses connections neither blocks nor undoes route control. */
class MailServerDownTest extends ListenerTestSupport {

    private static final int NOBODY = FreePorts.next();

    @Override
    protected int mailPort() {
        return NOBODY;
    }

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.mail.retries", "2");
        p.put("hotbackup.mail.retry-delay", "100ms");
        p.put("hotbackup.mail.dead-letter-file", deadLetters().toString());
    }

    private Path deadLetters() {
        return Path.of("target/test-mail", getClass().getSimpleName() + ".txt");
    }

    @Test
    void mailServerDownDoesNotStopRouteControl() throws Exception {
        Files.deleteIfExists(deadLetters());
        FakeLiveHost a = liveHost("serverA");
        a.send(FrameState.LIVE);
        awaitState("serverA", MonitorState.LIVE);

        a.crash();

        eventually(() -> status("takeover-a").isStarted() && status("takeover-b").isStarted());
        // tried 1 + 2 times, then written whole to the dead-letter file
        log().await(1, field("event", "mail-dead-letter"), field("state", "DEAD"));
        String dead = Files.readString(deadLetters());
        assertTrue(dead.contains("Subject: [hotbackup] serverA/base is DEAD"), dead);
        assertTrue(dead.contains("takeover-a: started"), dead);
        assertTrue(dead.contains("To: ops@example.com"), dead);
        assertTrue(status("takeover-a").isStarted());
        log().await(1, field("event", "takeover"), "takeover-a: started");
    }
}
