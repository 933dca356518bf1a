package dev.hotbackup;

import static dev.hotbackup.testing.ActivityLines.field;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.RejectReason;
import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The shared secret and the mail password never show: not in the log (from the first line of
 * start-up), the activity log, a mail, the dead-letter file, nor an exception message. Forged
 * frames and failing mail make sure the error paths are taken too.
 */
class SecretsTest extends ListenerTestSupport {

    private static final LogCapture LOG = LogCapture.install();
    private static final String MAIL_PASSWORD = "pw-Zx9-do-not-show";
    private static final int NOBODY = FreePorts.next();
    private static final Path DEAD_LETTERS = Path.of("target/test-mail/SecretsTest.txt");

    @Override
    protected int mailPort() {
        return NOBODY;
    }

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.mail.username", "hotbackup");
        p.put("hotbackup.mail.password", MAIL_PASSWORD);
        p.put("hotbackup.mail.retries", "1");
        p.put("hotbackup.mail.retry-delay", "50ms");
        p.put("hotbackup.mail.dead-letter-file", DEAD_LETTERS.toString());
    }

    @AfterAll
    static void uninstall() {
        LOG.uninstall();
    }

    @Test
    void secretsAppearNowhere() throws Exception {
        Files.deleteIfExists(DEAD_LETTERS);
        FakeLiveHost forger =
                new FakeLiveHost("serverA", "base", "wrong-" + SECRET, LISTENER_PORT).start();
        forger.send(FrameState.LIVE);
        forger.close();
        FakeLiveHost a = liveHost("serverA");
        a.send(FrameState.LIVE);
        awaitState("serverA", MonitorState.LIVE);
        a.crash();
        awaitState("serverA", MonitorState.DEAD);
        log().await(2, field("event", "mail-dead-letter"));
        assertTrue(rejections.count(RejectReason.BAD_SIGNATURE) == 1);

        String everything =
                String.join("\n", LOG.lines())
                        + String.join("\n", activity.recentLines())
                        + Files.readString(activity.file())
                        + Files.readString(DEAD_LETTERS);
        assertTrue(everything.contains("Couldn't connect"), "the failure paths were logged");
        assertTrue(everything.contains("hotbackup.secret"), "the keys themselves are named");
        assertFalse(everything.contains(SECRET), "the heartbeat secret leaked");
        assertFalse(everything.contains(MAIL_PASSWORD), "the mail password leaked");
    }
}
