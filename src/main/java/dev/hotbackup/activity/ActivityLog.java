package dev.hotbackup.activity;

import dev.hotbackup.routes.Headers;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The activity log: one JSON object per line ({@code time, event, host, config, state, detail}) for
 * every signal, takeover, release, mail and refused frame, appended to {@code
 * hotbackup.listener.activity-log-file}. The most recent entries are also kept in memory for the
 * status view. Thread-safe; the file is closed when the service stops.
 */
public final class ActivityLog extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ActivityLog.class);

    /** How many recent entries are kept in memory. */
    public static final int RECENT = 200;

    private final boolean enabled;
    private final Path file;
    private final ArrayDeque<Entry> recent = new ArrayDeque<>(RECENT);
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** One entry of the log. */
    public record Entry(
            String time, String event, String host, String config, String state, String detail) {

        /** The entry as a JSON object, its fields in the log's order. */
        public JsonObject toJsonObject() {
            return Json.object(
                    "time", time, "event", event, "host", host, "config", config, "state", state,
                    "detail", detail);
        }

        /** The entry as the log file holds it: one JSON object. */
        public String json() {
            return Json.write(toJsonObject());
        }
    }

    private BufferedWriter writer;
    private boolean failed;

    /**
     * @param enabled {@code hotbackup.listener.activity-log}
     * @param file where to append; parent folders are created
     */
    public ActivityLog(boolean enabled, Path file) {
        this.enabled = enabled;
        this.file = file;
    }

    /** Where entries are appended. */
    public Path file() {
        return file;
    }

    /**
     * Appends one entry. Any argument may be {@code null}. Never throws: a log that cannot be
     * written is reported once and the event still happens.
     */
    public void record(String event, String host, String config, String state, String detail) {
        String time = Instant.now().toString();
        counts.computeIfAbsent(event, k -> new LongAdder()).increment();
        if (state != null) {
            counts.computeIfAbsent(event + " " + state, k -> new LongAdder()).increment();
        }
        Entry entry = new Entry(time, event, host, config, state, detail);
        String line = entry.json();
        synchronized (this) {
            if (recent.size() == RECENT) {
                recent.removeFirst();
            }
            recent.addLast(entry);
            if (!enabled || writer == null) {
                return;
            }
            try {
                writer.write(line);
                writer.newLine();
                writer.flush();
            } catch (IOException e) {
                if (!failed) {
                    failed = true;
                    LOG.error("Cannot write the activity log {}: {}", file, e.getMessage());
                }
            }
        }
    }

    /** Records the signal carried by {@code exchange} (the signal router's input). */
    public void signal(Exchange exchange) {
        Message in = exchange.getIn();
        if (in.getHeader(Headers.LEASE_GRANTED) != null) {
            // the same signal or request, handed back once its lease was granted: recorded already
            return;
        }
        String force = in.getHeader(Headers.FORCE, String.class);
        if (force != null) {
            // not a signal: an operator asked for this action
            record(
                    "operator",
                    in.getHeader(Headers.HOST, String.class),
                    in.getHeader(Headers.CONFIG, String.class),
                    in.getHeader(Headers.STATE, String.class),
                    force + " requested by " + in.getHeader(Headers.OPERATOR, String.class));
            return;
        }
        if (in.getHeader(Headers.FAILBACK_DUE) != null) {
            // the same LIVE signal, handed back after the failback delay: recorded once already
            return;
        }
        record(
                "signal",
                in.getHeader(Headers.HOST, String.class),
                in.getHeader(Headers.CONFIG, String.class),
                in.getHeader(Headers.STATE, String.class),
                in.getHeader(Headers.DETAIL, String.class));
    }

    /** Records what the signal router did for a signal: the action and each route's outcome. */
    public void routeControl(Exchange exchange) {
        Message in = exchange.getIn();
        List<?> outcomes = in.getHeader(Headers.OUTCOMES, List.class);
        String action = in.getHeader(Headers.ACTION, String.class);
        record(
                action,
                in.getHeader(Headers.HOST, String.class),
                in.getHeader(Headers.CONFIG, String.class),
                in.getHeader(Headers.STATE, String.class),
                outcomes == null || outcomes.isEmpty()
                        ? "no routes"
                        : String.join("; ", outcomes.stream().map(String::valueOf).toList()));
    }

    /** Records a mail that was sent, or that failed with the caught exception. */
    public void mail(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        record(
                failure == null ? "mail-sent" : "mail-failed",
                exchange.getProperty(Headers.HOST, String.class),
                exchange.getProperty(Headers.CONFIG, String.class),
                exchange.getProperty(Headers.STATE, String.class),
                failure == null ? "sent" : failure.getMessage());
    }

    /** The most recent entries, oldest first. */
    public synchronized List<Entry> recent() {
        return new ArrayList<>(recent);
    }

    /** The most recent entries as JSON lines, oldest first. */
    public List<String> recentLines() {
        return recent().stream().map(Entry::json).toList();
    }

    /**
     * How many entries were recorded since start, by {@code event} or {@code event state} (for
     * example {@code signal DEAD}, {@code mail-sent DEAD}), for metrics.
     */
    public long count(String eventAndState) {
        LongAdder a = counts.get(eventAndState);
        return a == null ? 0 : a.sum();
    }

    @Override
    protected synchronized void doStart() throws Exception {
        if (!enabled) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        writer =
                Files.newBufferedWriter(
                        file,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
        LOG.info("Activity log: {}", file.toAbsolutePath());
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }
}
