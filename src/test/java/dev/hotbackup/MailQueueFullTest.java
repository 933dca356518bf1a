package dev.hotbackup;

import static dev.hotbackup.testing.ActivityLines.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.signal.Signal;
import dev.hotbackup.signal.SignalPublisher;
import dev.hotbackup.signal.SignalState;
import dev.hotbackup.signal.SignalXml;
import dev.hotbackup.testing.LineServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.EndpointInject;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A burst of signals faster than the mail server: once the mail queue holds its 10,000 mails, each
 * further signal's mail goes to the dead-letter file at once, and the signal still reaches the
 * user's routes. The queue used to throw "Queue full" in the signal router, after route control but
 * before hotbackup.listener.signals-to: those signals never reached the user's routes, and each
 * left a stack trace.
 */
class MailQueueFullTest extends ListenerTestSupport {

    /** Accepts connections and never greets: the first mail waits, the rest queue behind it. */
    private final LineServer silentSmtp = LineServer.open(0);

    private static final Path DEAD_LETTERS = Path.of("target/test-mail/MailQueueFullTest.txt");
    private static final int QUEUE = 10_000;
    private static final int BEYOND = 25;

    @EndpointInject("mock:my-signals")
    MockEndpoint mine;

    @Override
    protected int mailPort() {
        return silentSmtp.port();
    }

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.takeover.routes", "");
        p.put("hotbackup.listener.signals-to", "mock:my-signals");
        p.put("hotbackup.mail.timeout", "60s");
        p.put("hotbackup.mail.retries", "0");
        p.put("hotbackup.mail.dead-letter-file", deadLetters().toString());
    }

    /** The XML variant writes a file of its own. */
    protected Path deadLetters() {
        return DEAD_LETTERS;
    }

    @AfterEach
    void closeSmtp() throws Exception {
        silentSmtp.close();
    }

    @Test
    void aFullMailQueueLosesNeitherTheMailNorTheSignal() throws Exception {
        Files.deleteIfExists(deadLetters());
        int signals = QUEUE + 1 + BEYOND;
        mine.expectedMessageCount(signals);
        SignalPublisher publisher =
                new SignalPublisher(
                        context.createProducerTemplate(), SignalXml.Whitespace.PRESERVE);
        publisher.publish(new Signal("first", "base", SignalState.DEAD, Instant.now(), "test"));
        // the mail route is stuck on the first mail before the others queue
        eventually(() -> silentSmtp.connections() > 0);
        for (int i = 1; i < signals; i++) {
            publisher.publish(
                    new Signal("host" + i, "base", SignalState.DEAD, Instant.now(), "test"));
        }

        mine.setResultWaitTime(Duration.ofSeconds(60).toMillis());
        mine.assertIsSatisfied();
        log().await(BEYOND, field("event", "mail-dead-letter"));
        String dead = Files.readString(deadLetters());
        String start = dead.substring(0, Math.min(1000, dead.length()));
        assertEquals(BEYOND, dead.split("==== ").length - 1, start);
        assertTrue(
                dead.contains(
                        "mail not sent: the mail queue was full (10,000 mails waiting for the mail"
                                + " server)"),
                start);
        assertTrue(
                dead.contains("Subject: [hotbackup] host" + (signals - 1) + "/base is DEAD"),
                start);
        // the stuck mail fails now, instead of after its timeout while the instance stops, and the
        // queued ones go to the file at stop rather than being tried one by one
        silentSmtp.close();
        context.getShutdownStrategy().setTimeout(1);
    }
}
