package dev.hotbackup.link;

import dev.hotbackup.activity.ActivityLog;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts refused frames by reason and reports them without letting a flood flood the log: per
 * reason, one WARN line and one activity-log entry per window, each saying how many more were
 * refused since the previous report.
 */
public final class Rejections {

    private static final Logger LOG = LoggerFactory.getLogger(Rejections.class);

    /** Length of the reporting window per reason. */
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Map<RejectReason, LongAdder> counts = new EnumMap<>(RejectReason.class);
    private final Map<RejectReason, Window> windows = new EnumMap<>(RejectReason.class);
    private final ActivityLog activity;
    private final java.util.Set<String> reportedOnce = ConcurrentHashMap.newKeySet();

    /**
     * How many distinct senders are remembered for {@link #rejectOnce}; beyond, reports are
     * windowed.
     */
    static final int MAX_ONCE = 10_000;

    public Rejections(ActivityLog activity) {
        this.activity = activity;
        for (RejectReason r : RejectReason.values()) {
            counts.put(r, new LongAdder());
            windows.put(r, new Window());
        }
    }

    /**
     * Counts one refused frame and reports it if its reason has not been reported in this window.
     *
     * @param source where it came from (remote address), for the report
     */
    public void reject(RejectReason reason, String detail, String source) {
        counts.get(reason).increment();
        Window w = windows.get(reason);
        long suppressed = w.tryReport(System.nanoTime());
        if (suppressed < 0) {
            return;
        }
        String more = suppressed > 0 ? " (" + suppressed + " more refused since last report)" : "";
        LOG.warn(
                "Refused {} from {}: {}: {}{}",
                reason.isConnection() ? "connection" : "frame",
                source,
                reason.code(),
                detail,
                more);
        activity.record(
                "rejected",
                null,
                null,
                null,
                reason.code() + ": " + detail + " from " + source + more);
    }

    /**
     * Counts one refused frame and reports it only the first time for {@code once} (for example a
     * source address and the name it used), so a sender that keeps trying is named once.
     */
    public void rejectOnce(RejectReason reason, String detail, String source, String once) {
        counts.get(reason).increment();
        if (reportedOnce.size() < MAX_ONCE && reportedOnce.add(reason.code() + ' ' + once)) {
            LOG.warn(
                    "Refused frame from {}: {}: {} (reported once)", source, reason.code(), detail);
            activity.record(
                    "rejected",
                    null,
                    null,
                    null,
                    reason.code() + ": " + detail + " from " + source);
        } else if (reportedOnce.size() >= MAX_ONCE) {
            reject(reason, detail, source);
        }
    }

    /** Frames refused for this reason since start. */
    public long count(RejectReason reason) {
        return counts.get(reason).sum();
    }

    /** Frames refused for any reason since start. */
    public long total() {
        long sum = 0;
        for (LongAdder a : counts.values()) {
            sum += a.sum();
        }
        return sum;
    }

    /** Counts by reason code, for status and metrics. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (RejectReason r : RejectReason.values()) {
            out.put(r.code(), counts.get(r).sum());
        }
        return out;
    }

    /** One report per window; counts what it kept quiet about. */
    private static final class Window {
        private final AtomicLong lastReport = new AtomicLong(Long.MIN_VALUE);
        private final AtomicLong quiet = new AtomicLong();

        /**
         * Returns how many were kept quiet since the last report, or -1 if this one stays quiet.
         */
        long tryReport(long now) {
            long last = lastReport.get();
            if (last != Long.MIN_VALUE && now - last < WINDOW_NANOS) {
                quiet.incrementAndGet();
                return -1;
            }
            if (!lastReport.compareAndSet(last, now)) {
                quiet.incrementAndGet();
                return -1;
            }
            return quiet.getAndSet(0);
        }
    }
}
