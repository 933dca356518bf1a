package dev.hotbackup.link;

import dev.hotbackup.activity.ActivityLog;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private final Set<String> reportedOnce = ConcurrentHashMap.newKeySet();

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
     * Reports, per reason, the refusals kept quiet since the last report once its window is over,
     * without waiting for another refusal: a burst that ends would otherwise leave its count in the
     * metrics only. Called on the silence timer's tick.
     */
    public void flush() {
        flush(System.nanoTime());
    }

    void flush(long now) {
        for (RejectReason reason : RejectReason.values()) {
            long quiet = windows.get(reason).tryFlush(now);
            if (quiet <= 0) {
                continue;
            }
            String more = " (" + quiet + " more refused since last report)";
            LOG.warn(
                    "Refused {}s: {}: no new report in the window{}",
                    reason.isConnection() ? "connection" : "frame",
                    reason.code(),
                    more);
            activity.record("rejected", null, null, null, reason.code() + ": no new report" + more);
        }
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

    /**
     * Counts one frame refused for its signature, and says what is most likely wrong: the two hosts
     * do not share the same {@code hotbackup.secret}. The (host, config) the frame names is not
     * proven, but shown on the status page as refused, so a host whose secret differs does not look
     * absent.
     *
     * @param claimed {@code host/config} named by the frame, or {@code null}
     */
    public void rejectSignature(RejectReason reason, String detail, String source, String claimed) {
        String address = address(source);
        if (claimed != null) {
            refusedHosts.record(claimed, address, reason);
        }
        reject(
                reason,
                detail
                        + (claimed == null ? "" : " (it names " + claimed + ")")
                        + ": frames from "
                        + address
                        + " fail the signature check: "
                        + SECRET_HINT,
                source);
    }

    /** What a frame refused for its signature most likely means. */
    public static final String SECRET_HINT = "are hotbackup.secret the same on both hosts?";

    /** Hosts whose frames were refused for their signature in the last {@code nanos}. */
    public List<RefusedHost> refusedWithin(long nanos) {
        return refusedHosts.within(nanos);
    }

    /** The address part of a netty remote address {@code /ip:port}. */
    static String address(String source) {
        if (source == null) {
            return "?";
        }
        String s = source.startsWith("/") ? source.substring(1) : source;
        int colon = s.lastIndexOf(':');
        return colon > 0 ? s.substring(0, colon) : s;
    }

    /**
     * A (host, config) named by frames refused for their signature, from one address.
     *
     * @param lastNanos monotonic time of the last refusal
     */
    public record RefusedHost(
            String claimed,
            String address,
            RejectReason reason,
            long count,
            long lastNanos,
            Instant last) {

        /** What the status page and the log say about it. */
        public String why() {
            return "frames from " + address + " fail the signature check: " + SECRET_HINT;
        }
    }

    /** The last {@link #MAX_REFUSED_HOSTS} hosts refused for their signature. */
    private final RefusedHosts refusedHosts = new RefusedHosts();

    /** How many refused hosts are remembered; the names are not authenticated, so bounded. */
    static final int MAX_REFUSED_HOSTS = 50;

    private static final class RefusedHosts {
        private final LinkedHashMap<String, RefusedHost> byKey =
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, RefusedHost> eldest) {
                        return size() > MAX_REFUSED_HOSTS;
                    }
                };

        synchronized void record(String claimed, String address, RejectReason reason) {
            String key = claimed + ' ' + address;
            RefusedHost old = byKey.get(key);
            byKey.put(
                    key,
                    new RefusedHost(
                            claimed,
                            address,
                            reason,
                            old == null ? 1 : old.count() + 1,
                            System.nanoTime(),
                            Instant.now()));
        }

        synchronized List<RefusedHost> within(long nanos) {
            long now = System.nanoTime();
            return byKey.values().stream()
                    .filter(r -> now - r.lastNanos() < nanos)
                    .sorted(Comparator.comparing(RefusedHost::claimed))
                    .toList();
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
        Map<String, Long> out = new LinkedHashMap<>();
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

        /**
         * Returns how many were kept quiet if the window is over and some were (the report is then
         * made now), else -1.
         */
        long tryFlush(long now) {
            long last = lastReport.get();
            if (quiet.get() == 0 || last == Long.MIN_VALUE || now - last < WINDOW_NANOS) {
                return -1;
            }
            if (!lastReport.compareAndSet(last, now)) {
                return -1;
            }
            return quiet.getAndSet(0);
        }
    }
}
