package dev.hotbackup.testkit;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real SMTP server (GreenMail) on 127.0.0.1 for the instance under test to mail to, so that a
 * test can read what the pack mailed: the subject and body your {@code hotbackup.mail.subject} and
 * {@code hotbackup.mail.body} templates made, and who got it. Register it as a static field, so
 * that it listens before the Camel context starts and closes after the class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestMailServer MAIL = TestMailServer.start(9813);
 * // properties: hotbackup.mail.host=127.0.0.1, hotbackup.mail.port=9813, hotbackup.mail.to=...
 * }</pre>
 *
 * Needs {@code com.icegreen:greenmail} on the test classpath.
 */
public final class TestMailServer implements AfterAllCallback, AutoCloseable {

    /** One mail as received: its subject, its text, its recipients. */
    public record Mail(String subject, String body, List<String> to) {}

    private final GreenMail server;
    private final int port;

    private TestMailServer(int port) {
        this.port = port;
        this.server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
    }

    /** An SMTP server listening on 127.0.0.1:{@code port}, accepting any sender and recipient. */
    public static TestMailServer start(int port) {
        return new TestMailServer(port);
    }

    /** The port it listens on, for {@code hotbackup.mail.port}. */
    public int port() {
        return port;
    }

    /** Every mail received so far, in order. */
    public List<Mail> received() {
        List<Mail> out = new ArrayList<>();
        for (MimeMessage m : server.getReceivedMessages()) {
            out.add(mail(m));
        }
        return out;
    }

    /**
     * Waits until a mail whose subject contains {@code subjectContains} has arrived and returns the
     * first such; fails after {@code atMost} listing the subjects that did arrive. The pack mails
     * from a queue of its own, after the signal has been routed: wait, do not look at once.
     */
    public Mail await(Duration atMost, String subjectContains) throws InterruptedException {
        Mail[] found = new Mail[1];
        Await.poll(
                "no mail with '" + subjectContains + "' in its subject on 127.0.0.1:" + port,
                atMost,
                () -> {
                    List<Mail> all = received();
                    for (Mail m : all) {
                        if (m.subject().contains(subjectContains)) {
                            found[0] = m;
                            return null;
                        }
                    }
                    return "received: " + all.stream().map(Mail::subject).toList();
                });
        return found[0];
    }

    private static Mail mail(MimeMessage m) {
        try {
            Address[] to = m.getAllRecipients();
            return new Mail(
                    m.getSubject(),
                    (m.getContent() instanceof String text ? text : GreenMailUtil.getBody(m))
                            .replace("\r\n", "\n"),
                    to == null ? List.of() : Arrays.stream(to).map(Address::toString).toList());
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("cannot read a received mail: " + e.getMessage(), e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        server.stop();
    }
}
