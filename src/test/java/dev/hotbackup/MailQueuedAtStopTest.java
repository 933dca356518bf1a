package dev.hotbackup;

import static dev.hotbackup.testing.ActivityLines.field;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.link.FrameState;
import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
import dev.hotbackup.testing.LineServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * An SMTP server that accepts connections and never answers, and an instance that stops while mails
 * wait: the one being tried and the ones queued behind it all end up in the dead-letter file. No
 * mail is dropped silently.
 */
class MailQueuedAtStopTest extends ListenerTestSupport {

    /** Accepts connections and never greets. */
    private static final LineServer BLACK_HOLE = LineServer.open(0);

    private static final Path DEAD_LETTERS = Path.of("target/test-mail/MailQueuedAtStopTest.txt");

    @Override
    protected int mailPort() {
        return BLACK_HOLE.port();
    }

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.mail.timeout", "1500ms");
        p.put("hotbackup.mail.retries", "5");
        p.put("hotbackup.mail.dead-letter-file", DEAD_LETTERS.toString());
    }

    @AfterAll
    static void close() throws IOException {
        BLACK_HOLE.close();
    }

    @Test
    void mailsPendingAtStopGoToTheDeadLetterFile() throws Exception {
        Files.deleteIfExists(DEAD_LETTERS);
        FakeLiveHost a = liveHost("serverA");
        a.send(FrameState.LIVE);
        awaitState("serverA", MonitorState.LIVE);
        a.send(FrameState.CLOSE);
        awaitState("serverA", MonitorState.CLOSE);
        a.send(FrameState.LIVE);
        awaitState("serverA", MonitorState.LIVE);
        a.send(FrameState.CLOSE);
        awaitState("serverA", MonitorState.CLOSE);
        // all four signals routed and handed to the mail route, the first mail being tried
        log().await(2, field("event", "takeover"));
        log().await(2, field("event", "release"));
        eventually(() -> BLACK_HOLE.connections() > 0);

        // Camel gives up waiting for the mail route before all four were tried
        context.getShutdownStrategy().setTimeout(2);
        context.stop();

        log().until(
                        "the mail being tried when Camel gave up",
                        Duration.ofSeconds(5),
                        () -> Files.readString(DEAD_LETTERS).split("==== ").length - 1 == 4);
        String dead = Files.readString(DEAD_LETTERS);
        assertTrue(dead.contains("Subject: [hotbackup] serverA/base is LIVE"), dead);
        assertTrue(dead.contains("Subject: [hotbackup] serverA/base is CLOSE"), dead);
        assertTrue(dead.contains("the instance stopped before it was sent"), dead);
        assertTrue(dead.contains("Exception reading response"), dead);
    }
}
