package dev.hotbackup.mail;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.routes.Endpoints;
import dev.hotbackup.routes.Headers;
import dev.hotbackup.support.LogEvery;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a mail goes when it cannot be sent: after the retries are exhausted, or when the instance
 * stops with mails still queued. Each is appended whole (subject, recipients, body, and why it was
 * not sent) to {@code hotbackup.mail.dead-letter-file}, counted, logged and recorded in the
 * activity log. No mail is dropped silently.
 */
public final class MailDeadLetters extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(MailDeadLetters.class);

    private final Path file;
    private final String recipients;
    private final SignalMail mail;
    private final ActivityLog activity;
    private final CamelContext camelContext;
    private final AtomicLong count = new AtomicLong();
    // guarded by this (write is synchronized)
    private final LogEvery logEvery = new LogEvery(Duration.ofSeconds(1));

    public MailDeadLetters(
            Path file,
            String recipients,
            SignalMail mail,
            ActivityLog activity,
            CamelContext camelContext) {
        this.file = file;
        this.recipients = recipients;
        this.mail = mail;
        this.activity = activity;
        this.camelContext = camelContext;
    }

    /**
     * Called as a mail enters the mail route: if the exchange still ends in failure (when Camel is
     * forced to stop, its error handler neither retries nor hands over to the dead-letter channel),
     * the mail is written here.
     */
    public void track(Exchange exchange) {
        exchange.getExchangeExtension()
                .addOnCompletion(
                        new SynchronizationAdapter() {
                            @Override
                            public void onFailure(Exchange failed) {
                                Exception cause = failed.getException();
                                write(
                                        failed,
                                        "the instance stopped while it was being sent ("
                                                + (cause == null ? "no cause" : cause.getMessage())
                                                + ")");
                            }
                        });
    }

    /**
     * Called by the signal router when the mail queue is full (a burst of signals faster than the
     * mail server): the signal's mail goes to the file now instead of waiting, and the signal goes
     * on to route control's record and {@code hotbackup.listener.signals-to}.
     */
    public void queueFull(Exchange exchange) {
        write(
                ExchangeHelper.createCopy(exchange, true),
                "the mail queue was full (" + queueSize() + " mails waiting for the mail server)");
    }

    private String queueSize() {
        SedaEndpoint queue = mailQueue();
        return queue == null ? "all its" : String.format("%,d", queue.getCurrentQueueSize());
    }

    /** The pack's mail queue, whatever options its endpoint URI carries. */
    private SedaEndpoint mailQueue() {
        for (Endpoint e : camelContext.getEndpoints()) {
            if (e instanceof SedaEndpoint seda
                    && Endpoints.MAIL_QUEUE.equals(seda.getEndpointBaseUri())) {
                return seda;
            }
        }
        return null;
    }

    /** Writes the mail of {@code exchange} to the file; the cause is the caught exception. */
    public void write(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        write(exchange, cause == null ? "not sent" : String.valueOf(cause.getMessage()));
    }

    private synchronized void write(Exchange exchange, String why) {
        if (exchange.getIn().getHeader("Subject") == null) {
            mail.prepare(exchange);
        }
        String subject = exchange.getIn().getHeader("Subject", String.class);
        String text =
                "==== "
                        + Instant.now()
                        + " mail not sent: "
                        + why
                        + "\nTo: "
                        + recipients
                        + "\nSubject: "
                        + subject
                        + "\n\n"
                        + exchange.getIn().getBody(String.class)
                        + "\n";
        long n = count.incrementAndGet();
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            try (BufferedWriter w =
                    Files.newBufferedWriter(
                            file,
                            StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND)) {
                w.write(text);
            }
            logWritten(subject, why, n);
        } catch (IOException e) {
            LOG.error(
                    "Mail \"{}\" not sent ({}) and cannot be written to {}: {}\n{}",
                    subject,
                    why,
                    file,
                    e.getMessage(),
                    text);
        }
        activity.record(
                "mail-dead-letter",
                exchange.getProperty(Headers.HOST, String.class),
                exchange.getProperty(Headers.CONFIG, String.class),
                exchange.getProperty(Headers.STATE, String.class),
                why + "; written to " + file);
    }

    /**
     * One line per mail, at most one a second: a burst (a full queue, a stop with thousands queued)
     * is summed up rather than flooding the log; every mail is in the file either way.
     */
    private void logWritten(String subject, String why, long n) {
        long now = System.nanoTime();
        if (!logEvery.due(now)) {
            return;
        }
        long unlogged = logEvery.logged(now);
        LOG.error(
                "Mail \"{}\" not sent ({}); written to {} ({} so far{})",
                subject,
                why,
                file,
                n,
                unlogged == 0 ? "" : ", " + unlogged + " more since the last line");
    }

    /** Mails written to the dead-letter file since start. */
    public long count() {
        return count.get();
    }

    @Override
    protected void doStop() throws Exception {
        // routes are stopped before services: whatever is still queued was never attempted
        List<Exchange> left = new ArrayList<>();
        SedaEndpoint queue = mailQueue();
        if (queue != null) {
            queue.getQueue().drainTo(left);
        }
        for (Exchange exchange : left) {
            write(exchange, "the instance stopped before it was sent");
        }
    }
}
