package dev.hotbackup.monitor;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.link.Decoded;
import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatFrame;
import dev.hotbackup.link.RejectReason;
import dev.hotbackup.link.Rejections;
import dev.hotbackup.routes.Headers;
import dev.hotbackup.signal.Signal;
import dev.hotbackup.signal.SignalPublisher;
import dev.hotbackup.signal.SignalState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.netty.NettyConstants;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one {@link Monitor} per monitored (host, config) and makes every state decision. The Backup
 * listener's routes call it at three points: {@link #heartbeat} for each decoded frame, {@link
 * #silent} when a pair is reported silent, and {@link #probeResult} when the reconfirm probe is
 * done.
 *
 * <p>A monotonic watchdog reports silent pairs besides the threshold aggregator, for what the
 * aggregator cannot see: a pair whose probe was answered (no heartbeat re-arms the aggregator),
 * jumps of the wall clock (Camel's aggregation timeout map runs on it), expected pairs never heard
 * since start, and pairs that were DEAD when this listener last stopped.
 */
public final class MonitorRegistry extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorRegistry.class);

    /** The reconfirm route's input. */
    public static final String RECONFIRM_ENDPOINT = "direct:hotbackup-reconfirm";

    /** The probe's result when the host answered. */
    static final String ANSWERED = "answered";

    /** The probe's result when nothing listens on the probe port any more. */
    static final String REFUSED = "connection refused";

    /** Recorded when a pair that became LIVE answered its first probe. */
    public static final String VERIFIED =
            "probe answered on becoming LIVE: a dropped connection fails over at once";

    /** How often a pair that became LIVE is probed before its probe port is deemed unusable. */
    private static final int VERIFY_ATTEMPTS = 3;

    /** Probes again after an inconclusive probe on a dropped connection, this many times. */
    private static final int DISCONNECT_RETRIES = 3;

    private static final long DISCONNECT_RETRY_MILLIS = 200;

    /** Verification probes out at once; the others wait their turn. */
    static final int VERIFY_CONCURRENCY = 16;

    private final java.util.concurrent.Semaphore verifySlots =
            new java.util.concurrent.Semaphore(VERIFY_CONCURRENCY);
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> verifyQueue =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** The cause of a reconfirm asked for because a connection closed. */
    static final String DISCONNECT = "disconnect";

    /** Slack between the aggregator's millisecond wall clock and the monotonic clock. */
    private static final long TOLERANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** How often the saved state follows the replay watermark when no state changed. */
    private static final long SAVE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * What the registry is told at start.
     *
     * @param thresholdNanos silence tolerated before the reconfirm
     * @param checkIntervalNanos how often the watchdog looks
     * @param allow pairs accepted
     * @param expect pairs that are DEAD if never heard within the threshold after start
     * @param stateFile where the state survives restarts; {@code null} to keep it in memory only
     * @param probeTimeoutNanos how long a probe may take; it is sent this long before the threshold
     * @param probeOnDisconnect probe at once when a host's connection closes without CLOSE
     * @param retentionNanos pairs DEAD or CLOSE this long are forgotten
     */
    public record Options(
            long thresholdNanos,
            long checkIntervalNanos,
            AllowList allow,
            List<MonitorKey> expect,
            Path stateFile,
            long probeTimeoutNanos,
            boolean probeOnDisconnect,
            long retentionNanos) {}

    /** Sends one probe; {@code done} gets {@code answered} or what went wrong, exactly once. */
    public interface Prober {
        void probe(String address, int port, String host, String config, Consumer<String> done);
    }

    private final ConcurrentHashMap<String, Monitor> monitors = new ConcurrentHashMap<>();

    /**
     * Replay watermarks (boot, sequence) of evicted pairs, so that frames recorded before an
     * eviction cannot bring the pair back to LIVE. Bounded: the oldest are dropped first.
     */
    private final Map<String, long[]> forgotten =
            java.util.Collections.synchronizedMap(
                    new java.util.LinkedHashMap<>(16, 0.75f, false) {
                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                            return size() > FORGOTTEN_MAX;
                        }
                    });

    /** Watermarks of evicted pairs kept, about 100 bytes each. */
    static final int FORGOTTEN_MAX = 100_000;

    private volatile dev.hotbackup.link.FrameDecoders.Backlog backlog;

    /** The gate's queue of frames; each frame that reaches {@link #heartbeat} leaves it. */
    public void setBacklog(dev.hotbackup.link.FrameDecoders.Backlog backlog) {
        this.backlog = backlog;
    }

    /** How often a pair's frames are handed on to the threshold aggregator. */
    private final long forwardNanos;

    private final java.util.concurrent.atomic.LongAdder accepted =
            new java.util.concurrent.atomic.LongAdder();
    private final Options options;
    private final SignalPublisher publisher;
    private final Rejections rejections;
    private final ActivityLog activity;
    private final CamelContext camelContext;
    private final LongSupplier clock;
    private final MonitorStore store;
    private final Prober prober;
    private final AtomicBoolean changed = new AtomicBoolean();
    private final AtomicBoolean watermarkMoved = new AtomicBoolean();
    private final List<Monitor> restoredClose = new ArrayList<>();

    private ScheduledExecutorService watchdog;
    private AsyncProducer reconfirm;
    private long lastSave;

    public MonitorRegistry(
            Options options,
            SignalPublisher publisher,
            Rejections rejections,
            ActivityLog activity,
            CamelContext camelContext,
            LongSupplier clock,
            Prober prober) {
        this.options = options;
        this.forwardNanos =
                Math.max(
                        TimeUnit.MILLISECONDS.toNanos(1),
                        Math.min(options.thresholdNanos() / 10, TimeUnit.SECONDS.toNanos(1)));
        this.prober = prober;
        this.publisher = publisher;
        this.rejections = rejections;
        this.activity = activity;
        this.camelContext = camelContext;
        this.clock = clock;
        this.store = options.stateFile() == null ? null : new MonitorStore(options.stateFile());
    }

    /**
     * Takes one decoded line from the Backup listener. A refused line is counted; an accepted frame
     * that is not newer than the last one of its pair is refused as a replay; otherwise the pair's
     * state advances and {@link Headers#KEY} is set so the frame goes on to the threshold
     * aggregator.
     */
    public void heartbeat(Exchange exchange) {
        if (backlog != null) {
            backlog.taken();
        }
        Decoded decoded = exchange.getIn().getBody(Decoded.class);
        String source = source(exchange);
        if (decoded == null) {
            rejections.reject(RejectReason.MALFORMED, "empty message", source);
            return;
        }
        if (!decoded.isAccepted()) {
            if (decoded.reason().isSignature()) {
                rejections.rejectSignature(
                        decoded.reason(), decoded.detail(), source, decoded.claimed());
            } else {
                rejections.reject(decoded.reason(), decoded.detail(), source);
            }
            return;
        }
        HeartbeatFrame frame = decoded.frame();
        MonitorKey key = new MonitorKey(frame.host(), frame.config());
        if (!options.allow().allows(frame.host(), frame.config())) {
            rejections.rejectOnce(
                    RejectReason.NOT_ALLOWED,
                    key + " is not in hotbackup.listener.allow",
                    source,
                    hostOf(exchange) + ' ' + key.id());
            return;
        }
        long now = clock.getAsLong();
        long[] mark = forgotten.get(key.id());
        if (mark != null
                && (frame.boot() < mark[0]
                        || (frame.boot() == mark[0] && frame.seq() <= mark[1]))) {
            // an evicted pair: its old frames must not bring it back
            rejections.reject(
                    RejectReason.REPLAYED,
                    key
                            + " boot "
                            + frame.boot()
                            + " sequence "
                            + frame.seq()
                            + " is not newer than before it was forgotten",
                    source);
            return;
        }
        Monitor m = monitors.computeIfAbsent(key.id(), id -> remembered(key, now));
        synchronized (m) {
            if (frame.boot() < m.boot) {
                rejections.reject(
                        RejectReason.STALE_BOOT,
                        key + " boot " + frame.boot() + " is older than boot " + m.boot,
                        source);
                return;
            }
            if (frame.boot() == m.boot && frame.seq() <= m.seq) {
                rejections.reject(
                        RejectReason.REPLAYED,
                        key + " sequence " + frame.seq() + " already seen (last " + m.seq + ")",
                        source);
                return;
            }
            m.boot = frame.boot();
            m.seq = frame.seq();
            m.lastHeardNanos = now;
            m.lastAnsweredNanos = 0;
            m.probe = Monitor.Probe.NONE;
            m.disconnectRetries = 0;
            m.remoteAddress = hostOf(exchange);
            m.connection = source;
            m.probePort = frame.probePort();
            watermarkMoved.set(true);
            if (frame.state() == FrameState.CLOSE) {
                if (m.state != MonitorState.CLOSE) {
                    transition(m, MonitorState.CLOSE, "the host is stopping normally", now);
                }
            } else if (m.state != MonitorState.LIVE) {
                String detail =
                        switch (m.state) {
                            case WAITING ->
                                    m.restored != null
                                            ? "first heartbeat since the listener restarted"
                                            : "first heartbeat";
                            case DEAD -> "heartbeats again after DEAD";
                            default -> "heartbeats again after CLOSE";
                        };
                transition(m, MonitorState.LIVE, detail, now);
            }
            m.restored = null;
            accepted.increment();
            // the aggregator's timeout restarts with each frame it gets; one frame per
            // forwardNanos is enough to keep it armed (it fires at most that much early, and the
            // exact silence is decided here and by the watchdog), and spares it 9 of 10 frames
            boolean forward =
                    frame.state() == FrameState.CLOSE
                            || m.lastForwardedNanos == 0
                            || now - m.lastForwardedNanos >= forwardNanos;
            if (!forward) {
                return;
            }
            m.lastForwardedNanos = now;
        }
        exchange.getIn().setHeader(Headers.KEY, key.id());
        exchange.getIn().setHeader(Headers.FRAME_STATE, frame.state().name());
    }

    /**
     * Called for a pair reported silent: by the threshold aggregator, by the watchdog (before the
     * threshold, so that the probe's answer is in by then), or when its connection closed. Sets the
     * probe target headers if a probe is due; decides DEAD at once if a probe already failed and
     * the threshold is reached; otherwise sets nothing and nothing more happens.
     */
    public void silent(Exchange exchange) {
        String id = exchange.getIn().getHeader(Headers.KEY, String.class);
        String cause = exchange.getIn().getHeader(Headers.CAUSE, "threshold", String.class);
        Monitor m = id == null ? null : monitors.get(id);
        if (m == null) {
            return;
        }
        long now = clock.getAsLong();
        synchronized (m) {
            if (m.probe == Monitor.Probe.IN_FLIGHT) {
                return;
            }
            if (m.probe == Monitor.Probe.FAILED) {
                decide(m, m.probeBasis);
                return;
            }
            boolean due;
            if (DISCONNECT.equals(cause)) {
                due =
                        m.state == MonitorState.LIVE
                                && Boolean.TRUE.equals(m.probeVerified)
                                && m.connection != null
                                && m.connection.equals(
                                        exchange.getIn()
                                                .getHeader(Headers.CONNECTION, String.class));
            } else {
                due = due(m, now, probeLead(m) + TOLERANCE_NANOS);
            }
            if (!due) {
                return;
            }
            m.probe = Monitor.Probe.IN_FLIGHT;
            m.probeBasis = m.lastHeardNanos;
            exchange.getIn().setHeader(Headers.CAUSE, cause);
            exchange.getIn().setHeader(Headers.HOST, m.key.host());
            exchange.getIn().setHeader(Headers.CONFIG, m.key.config());
            exchange.getIn().setHeader(Headers.PROBE_ADDRESS, m.remoteAddress);
            exchange.getIn().setHeader(Headers.PROBE_PORT, m.probePort);
        }
    }

    /**
     * Takes the reconfirm probe's result. A valid answer means not DEAD. No answer means DEAD once
     * the pair has been silent for the threshold, at once if it has; after a dropped connection,
     * only a refused probe (nothing listens any more) means DEAD at once. A frame that arrived
     * while the probe was out makes the result void.
     */
    public void probeResult(Exchange exchange) {
        String id = exchange.getIn().getHeader(Headers.KEY, String.class);
        String result = exchange.getIn().getHeader(Headers.PROBE_RESULT, String.class);
        String cause = exchange.getIn().getHeader(Headers.CAUSE, String.class);
        Monitor m = id == null ? null : monitors.get(id);
        if (m == null) {
            return;
        }
        long now = clock.getAsLong();
        synchronized (m) {
            if (m.probe != Monitor.Probe.IN_FLIGHT || m.lastHeardNanos != m.probeBasis) {
                return;
            }
            m.probe = Monitor.Probe.NONE;
            if (m.state != MonitorState.LIVE && m.state != MonitorState.WAITING) {
                return;
            }
            String silence = seconds(now - m.quietSince());
            if (ANSWERED.equals(result)) {
                m.lastAnsweredNanos = now;
                m.restored = null;
                LOG.info("{} silent for {} s but answered the probe: not DEAD", m.key, silence);
                activity.record(
                        "probe",
                        m.key.host(),
                        m.key.config(),
                        m.state.name(),
                        "silent for " + silence + " s; probe answered");
                return;
            }
            if (m.state == MonitorState.WAITING) {
                String why =
                        m.restored == MonitorState.DEAD
                                ? "still silent after the listener restarted"
                                : "not heard in the " + silence + " s since the listener started";
                transition(m, MonitorState.DEAD, why + "; probe: " + result, now);
                m.restored = null;
                return;
            }
            if (DISCONNECT.equals(cause)) {
                if (REFUSED.equals(result)) {
                    transition(
                            m,
                            MonitorState.DEAD,
                            "connection closed without CLOSE; probe: " + result,
                            now);
                } else if (m.disconnectRetries < DISCONNECT_RETRIES) {
                    // a process being killed can reset the probe instead of refusing it: ask
                    // again shortly, when its port is gone or it answers
                    m.disconnectRetries++;
                    String connection = m.connection;
                    watchdog.schedule(
                            () -> reconfirm(m.key.id(), DISCONNECT, connection),
                            DISCONNECT_RETRY_MILLIS,
                            TimeUnit.MILLISECONDS);
                } else {
                    LOG.info(
                            "{} closed its connection; the probe was not conclusive ({}): DEAD only"
                                    + " after the threshold",
                            m.key,
                            result);
                }
                return;
            }
            if (result != null
                    && result.startsWith("no answer")
                    && backlog != null
                    && backlog.droppedWithin(options.thresholdNanos())) {
                // this listener drops frames because it cannot keep up: the silence may be its
                // own, and a probe answer may be late for the same reason. Not proof of death.
                m.lastAnsweredNanos = now;
                LOG.warn(
                        "{} silent for {} s and the probe timed out, but this listener is"
                                + " overloaded (hotbackup.listener.max-backlog): not DEAD yet",
                        m.key,
                        silence);
                activity.record(
                        "probe",
                        m.key.host(),
                        m.key.config(),
                        m.state.name(),
                        "silent for " + silence + " s; probe timed out while overloaded");
                return;
            }
            m.probe = Monitor.Probe.FAILED;
            m.probeResult = result;
            long left = m.lastHeardNanos + options.thresholdNanos() - now;
            if (left <= TOLERANCE_NANOS) {
                decide(m, m.probeBasis);
            } else {
                long basis = m.probeBasis;
                watchdog.schedule(() -> decideLater(m, basis), left, TimeUnit.NANOSECONDS);
            }
        }
    }

    private void decideLater(Monitor m, long basis) {
        synchronized (m) {
            decide(m, basis);
        }
    }

    /**
     * DEAD if the pair is LIVE, its probe failed, no frame came since, and the threshold passed.
     */
    private void decide(Monitor m, long basis) {
        long now = clock.getAsLong();
        if (m.state != MonitorState.LIVE
                || m.probe != Monitor.Probe.FAILED
                || m.lastHeardNanos != basis
                || now - m.lastHeardNanos < options.thresholdNanos() - TOLERANCE_NANOS) {
            return;
        }
        m.probe = Monitor.Probe.NONE;
        transition(
                m,
                MonitorState.DEAD,
                "silent for " + seconds(now - m.lastHeardNanos) + " s; probe: " + m.probeResult,
                now);
    }

    /** How long before the threshold a LIVE pair's probe goes out. */
    private long probeLead(Monitor m) {
        return m.state == MonitorState.LIVE
                ? options.probeTimeoutNanos() + options.checkIntervalNanos()
                : 0;
    }

    /** The state of one pair, or {@code null} if never heard of. */
    public MonitorState stateOf(String host, String config) {
        Monitor m = monitors.get(new MonitorKey(host, config).id());
        if (m == null) {
            return null;
        }
        synchronized (m) {
            return m.state;
        }
    }

    /**
     * The monotonic time one pair entered its current state, or -1 if unknown: lets a caller tell
     * whether a pair stayed in a state since it last looked.
     */
    public long stateSinceNanos(MonitorKey key) {
        Monitor m = monitors.get(key.id());
        if (m == null) {
            return -1;
        }
        synchronized (m) {
            return m.stateSinceNanos;
        }
    }

    /** What an operator sees of one monitored pair, read at one instant. */
    public record View(
            MonitorKey key,
            MonitorState state,
            long stateForNanos,
            java.time.Instant stateSince,
            long heardAgoNanos,
            String remoteAddress,
            boolean expected) {

        /** {@code LIVE, heard 42 ms ago} or {@code WAITING, never heard}. */
        public String summary() {
            return state
                    + (heardAgoNanos < 0
                            ? ", never heard"
                            : ", heard "
                                    + TimeUnit.NANOSECONDS.toMillis(heardAgoNanos)
                                    + " ms ago");
        }
    }

    /** Every pair this listener knows, sorted by host then config. */
    public List<View> views() {
        long now = clock.getAsLong();
        List<View> out = new ArrayList<>();
        for (Monitor m : monitors.values()) {
            out.add(view(m, now));
        }
        out.sort(
                java.util.Comparator.comparing((View v) -> v.key().host())
                        .thenComparing(v -> v.key().config()));
        return out;
    }

    /** The pairs this listener knows, unordered, without reading their state. */
    public java.util.Set<MonitorKey> keys() {
        java.util.Set<MonitorKey> out = new java.util.HashSet<>();
        for (Monitor m : monitors.values()) {
            out.add(m.key);
        }
        return out;
    }

    /** One pair's view, or {@code null} if never heard of. */
    public View view(MonitorKey key) {
        Monitor m = monitors.get(key.id());
        return m == null ? null : view(m, clock.getAsLong());
    }

    private static View view(Monitor m, long now) {
        synchronized (m) {
            return new View(
                    m.key,
                    m.state,
                    now - m.stateSinceNanos,
                    m.stateSince,
                    m.lastHeardNanos == 0 ? -1 : now - m.lastHeardNanos,
                    m.remoteAddress,
                    m.expected);
        }
    }

    /** Frames accepted since start (every rejected one is counted by {@link Rejections}). */
    public long accepted() {
        return accepted.sum();
    }

    /** The silence tolerated before DEAD. */
    public long thresholdNanos() {
        return options.thresholdNanos();
    }

    /** How many pairs this listener knows. */
    public int size() {
        return monitors.size();
    }

    /**
     * A connection ({@code /ip:port}) was closed by the other side. A LIVE pair whose frames came
     * on it, and that did not say CLOSE, is probed at once instead of after the threshold: a killed
     * process is DEAD in milliseconds. Only pairs that answered a probe when they became LIVE
     * qualify, so a probe port that a firewall refuses cannot cause a false DEAD.
     */
    public void connectionClosed(String connection) {
        if (!options.probeOnDisconnect() || !isStarted()) {
            return;
        }
        for (Monitor m : monitors.values()) {
            boolean probe;
            synchronized (m) {
                probe =
                        m.state == MonitorState.LIVE
                                && connection.equals(m.connection)
                                && Boolean.TRUE.equals(m.probeVerified);
            }
            if (probe) {
                reconfirm(m.key.id(), DISCONNECT, connection);
            }
        }
    }

    private boolean due(Monitor m, long now, long lead) {
        long quiet = now - m.quietSince();
        return switch (m.state) {
            case LIVE -> quiet >= options.thresholdNanos() - lead;
            case WAITING ->
                    m.restored == MonitorState.DEAD
                            || (m.expected && quiet >= options.thresholdNanos() - TOLERANCE_NANOS);
            default -> false;
        };
    }

    private void transition(Monitor m, MonitorState to, String detail, long now) {
        MonitorState from = m.state;
        m.state = to;
        // the next frame goes to the aggregator whatever the last one did
        m.lastForwardedNanos = 0;
        m.stateSinceNanos = now;
        m.stateSince = Instant.now();
        changed.set(true);
        if (store != null) {
            // on disk before anything acts on the signal
            store.append(saved(m));
        }
        LOG.info("{}: {} -> {} ({})", m.key, from, to, detail);
        if (to == MonitorState.LIVE) {
            verifyProbe(m);
        }
        publisher.publish(
                new Signal(
                        m.key.host(),
                        m.key.config(),
                        SignalState.valueOf(to.name()),
                        m.stateSince,
                        detail));
    }

    /**
     * Sends to the reconfirm the pairs due for it (LIVE pairs a probe timeout before their
     * threshold, expected or restored WAITING pairs), decides the ones whose failed probe is
     * overdue, forgets pairs DEAD or CLOSE for longer than the retention, and saves the state.
     */
    void watch() {
        if (!camelContext.isStarted()) {
            return;
        }
        publishRestoredClose();
        long now = clock.getAsLong();
        List<String> due = new ArrayList<>();
        List<Monitor> old = new ArrayList<>();
        for (Monitor m : monitors.values()) {
            synchronized (m) {
                if (m.probe == Monitor.Probe.FAILED) {
                    decide(m, m.probeBasis);
                } else if (m.probe == Monitor.Probe.NONE && due(m, now, probeLead(m))) {
                    due.add(m.key.id());
                } else if ((m.state == MonitorState.DEAD || m.state == MonitorState.CLOSE)
                        && now - m.stateSinceNanos >= options.retentionNanos()
                        && !m.expected) {
                    old.add(m);
                }
            }
        }
        for (String id : due) {
            reconfirm(id, "watchdog", null);
        }
        for (Monitor m : old) {
            if (monitors.remove(m.key.id(), m)) {
                synchronized (m) {
                    forgotten.put(m.key.id(), new long[] {m.boot, m.seq});
                }
                changed.set(true);
                LOG.info(
                        "Forgot {}: {} since {} (hotbackup.listener.retention)",
                        m.key,
                        m.state,
                        m.stateSince);
                activity.record(
                        "evicted",
                        m.key.host(),
                        m.key.config(),
                        m.state.name(),
                        m.state + " since " + m.stateSince);
            }
        }
        saveIfDue(now);
    }

    /** A new monitor, with the replay watermark of the same pair if it was evicted. */
    private Monitor remembered(MonitorKey key, long now) {
        Monitor m = new Monitor(key, now);
        long[] mark = forgotten.remove(key.id());
        if (mark != null) {
            m.boot = mark[0];
            m.seq = mark[1];
        }
        return m;
    }

    private void reconfirm(String id, String cause, String connection) {
        Exchange exchange = reconfirm.getEndpoint().createExchange();
        exchange.getIn().setHeader(Headers.KEY, id);
        exchange.getIn().setHeader(Headers.CAUSE, cause);
        if (connection != null) {
            exchange.getIn().setHeader(Headers.CONNECTION, connection);
        }
        reconfirm.process(
                exchange,
                doneSync -> {
                    if (exchange.getException() != null) {
                        LOG.warn(
                                "Reconfirm of {} failed: {}",
                                id,
                                exchange.getException().getMessage());
                    }
                });
    }

    /** Probes a pair that became LIVE, to know whether a dropped connection can be trusted. */
    private void verifyProbe(Monitor m) {
        verifyProbe(m, 1);
    }

    private void verifyProbe(Monitor m, int attempt) {
        if (!options.probeOnDisconnect() || m.probePort == 0 || m.remoteAddress == null) {
            m.probeVerified = Boolean.FALSE;
            return;
        }
        verifyQueue.add(() -> sendVerifyProbe(m, attempt));
        drainVerifyQueue();
    }

    /**
     * Starts queued verification probes while fewer than {@link #VERIFY_CONCURRENCY} are out: ten
     * thousand pairs that become LIVE at once must not open ten thousand connections at once. Runs
     * on the watchdog thread, which holds no monitor's lock.
     */
    private void drainVerifyQueue() {
        ScheduledExecutorService w = watchdog;
        if (w == null || w.isShutdown()) {
            return;
        }
        try {
            w.execute(
                    () -> {
                        while (!verifyQueue.isEmpty() && verifySlots.tryAcquire()) {
                            Runnable next = verifyQueue.poll();
                            if (next == null) {
                                verifySlots.release();
                                return;
                            }
                            try {
                                next.run();
                            } catch (RuntimeException e) {
                                verifySlots.release();
                                LOG.warn("Verification probe not sent: {}", e.toString());
                            }
                        }
                    });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping
        }
    }

    private void sendVerifyProbe(Monitor m, int attempt) {
        String address;
        int port;
        synchronized (m) {
            if (m.state != MonitorState.LIVE) {
                verifySlots.release();
                drainVerifyQueue();
                return;
            }
            address = m.remoteAddress;
            port = m.probePort;
        }
        // no lock is held here: this runs on the watchdog thread
        prober.probe(
                address,
                port,
                m.key.host(),
                m.key.config(),
                result -> {
                    verifySlots.release();
                    try {
                        verified(m, attempt, address, port, result);
                    } finally {
                        drainVerifyQueue();
                    }
                });
    }

    private void verified(Monitor m, int attempt, String address, int port, String result) {
        synchronized (m) {
            if (ANSWERED.equals(result)) {
                m.probeVerified = Boolean.TRUE;
                activity.record("probe", m.key.host(), m.key.config(), m.state.name(), VERIFIED);
                return;
            }
            m.probeVerified = Boolean.FALSE;
            if (attempt < VERIFY_ATTEMPTS && m.state == MonitorState.LIVE) {
                // a host that just started may not answer yet: ask again a bit later
                watchdog.schedule(
                        () -> {
                            synchronized (m) {
                                if (m.state == MonitorState.LIVE) {
                                    verifyProbe(m, attempt + 1);
                                }
                            }
                        },
                        attempt * 2L,
                        TimeUnit.SECONDS);
                return;
            }
            LOG.warn(
                    "{} does not answer the reconfirm probe on {}:{} ({}): a dropped"
                            + " connection will not fail it over before the threshold",
                    m.key,
                    address,
                    port,
                    result);
        }
    }

    /** A pair that was CLOSE when this listener stopped is CLOSE again: its signal is repeated. */
    private void publishRestoredClose() {
        List<Monitor> close;
        synchronized (restoredClose) {
            if (restoredClose.isEmpty()) {
                return;
            }
            close = new ArrayList<>(restoredClose);
            restoredClose.clear();
        }
        for (Monitor m : close) {
            synchronized (m) {
                if (m.state == MonitorState.WAITING && m.restored == MonitorState.CLOSE) {
                    transition(
                            m,
                            MonitorState.CLOSE,
                            "was CLOSE when the listener restarted",
                            clock.getAsLong());
                    m.restored = null;
                }
            }
        }
    }

    @Override
    protected void doStart() throws Exception {
        restore();
        Endpoint endpoint = camelContext.getEndpoint(RECONFIRM_ENDPOINT);
        reconfirm = endpoint.createAsyncProducer();
        reconfirm.start();
        watchdog =
                camelContext
                        .getExecutorServiceManager()
                        .newSingleThreadScheduledExecutor(this, "hotbackup-watchdog");
        long period = Math.max(1, TimeUnit.NANOSECONDS.toMillis(options.checkIntervalNanos()));
        watchdog.scheduleWithFixedDelay(this::watchSafely, period, period, TimeUnit.MILLISECONDS);
    }

    /** Loads the saved pairs (as WAITING, remembering their saved state) and the expected ones. */
    private void restore() {
        long now = clock.getAsLong();
        if (store != null) {
            for (MonitorStore.Saved s : store.load()) {
                Monitor m = new Monitor(s.key(), now);
                m.boot = s.boot();
                m.seq = s.seq();
                m.remoteAddress = s.address();
                m.probePort = s.probePort();
                if (s.state() != MonitorState.WAITING) {
                    m.restored = s.state();
                }
                if (s.state() == MonitorState.CLOSE) {
                    restoredClose.add(m);
                }
                monitors.put(s.key().id(), m);
            }
            if (!monitors.isEmpty()) {
                LOG.info("Restored {} monitored pairs from {}", monitors.size(), store.file());
            }
        }
        for (MonitorKey key : options.expect()) {
            monitors.computeIfAbsent(key.id(), id -> new Monitor(key, now)).expected = true;
        }
    }

    private void watchSafely() {
        try {
            watch();
        } catch (RuntimeException e) {
            LOG.warn("Watchdog pass failed: {}", e.getMessage(), e);
        }
    }

    /** Saves at once after a state change, and at most every second for the watermark. */
    private void saveIfDue(long now) {
        if (store == null) {
            return;
        }
        boolean stateChanged = changed.getAndSet(false);
        if (!stateChanged && !(watermarkMoved.get() && now - lastSave >= SAVE_NANOS)) {
            return;
        }
        watermarkMoved.set(false);
        lastSave = now;
        save();
    }

    private void save() {
        try {
            store.save(
                    () -> {
                        List<MonitorStore.Saved> all = new ArrayList<>(monitors.size());
                        for (Monitor m : monitors.values()) {
                            synchronized (m) {
                                all.add(saved(m));
                            }
                        }
                        return all;
                    });
        } catch (IOException e) {
            LOG.warn("Cannot save monitor state to {}: {}", store.file(), e.getMessage());
        }
    }

    private static MonitorStore.Saved saved(Monitor m) {
        return new MonitorStore.Saved(
                m.key,
                m.stateToSave(),
                m.boot,
                m.seq,
                m.remoteAddress,
                m.probePort,
                m.stateSince.toEpochMilli());
    }

    @Override
    protected void doStop() throws Exception {
        if (watchdog != null) {
            camelContext.getExecutorServiceManager().shutdownNow(watchdog);
            watchdog = null;
        }
        if (reconfirm != null) {
            reconfirm.stop();
            reconfirm = null;
        }
        if (store != null) {
            save();
            store.close();
        }
    }

    private static String source(Exchange exchange) {
        Object remote = exchange.getIn().getHeader(NettyConstants.NETTY_REMOTE_ADDRESS);
        return String.valueOf(remote);
    }

    private static String hostOf(Exchange exchange) {
        SocketAddress remote =
                exchange.getIn()
                        .getHeader(NettyConstants.NETTY_REMOTE_ADDRESS, SocketAddress.class);
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return null;
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }
}
