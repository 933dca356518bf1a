package dev.hotbackup.monitor;

import dev.hotbackup.Headers;
import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.link.Decoded;
import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatFrame;
import dev.hotbackup.link.RejectReason;
import dev.hotbackup.link.Rejections;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
     */
    public record Options(
            long thresholdNanos,
            long checkIntervalNanos,
            AllowList allow,
            List<MonitorKey> expect,
            Path stateFile) {}

    private final ConcurrentHashMap<String, Monitor> monitors = new ConcurrentHashMap<>();
    private final Options options;
    private final SignalPublisher publisher;
    private final Rejections rejections;
    private final ActivityLog activity;
    private final CamelContext camelContext;
    private final LongSupplier clock;
    private final MonitorStore store;
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
            LongSupplier clock) {
        this.options = options;
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
        Decoded decoded = exchange.getIn().getBody(Decoded.class);
        String source = source(exchange);
        if (decoded == null) {
            rejections.reject(RejectReason.MALFORMED, "empty message", source);
            return;
        }
        if (!decoded.isAccepted()) {
            rejections.reject(decoded.reason(), decoded.detail(), source);
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
        Monitor m = monitors.computeIfAbsent(key.id(), id -> new Monitor(key, now));
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
        }
        exchange.getIn().setHeader(Headers.KEY, key.id());
        exchange.getIn().setHeader(Headers.FRAME_STATE, frame.state().name());
    }

    /**
     * Called for a pair reported silent. If it is due for a reconfirm (LIVE and silent for the
     * threshold; or WAITING and expected, or DEAD before this listener restarted), marks a
     * reconfirm in flight and sets the probe target headers; otherwise sets nothing and nothing
     * more happens.
     */
    public void silent(Exchange exchange) {
        String id = exchange.getIn().getHeader(Headers.KEY, String.class);
        Monitor m = id == null ? null : monitors.get(id);
        if (m == null) {
            return;
        }
        long now = clock.getAsLong();
        synchronized (m) {
            if (m.reconfirming || !due(m, now, options.thresholdNanos() - TOLERANCE_NANOS)) {
                return;
            }
            m.reconfirming = true;
            m.reconfirmBasis = m.lastHeardNanos;
            exchange.getIn().setHeader(Headers.HOST, m.key.host());
            exchange.getIn().setHeader(Headers.CONFIG, m.key.config());
            exchange.getIn().setHeader(Headers.PROBE_ADDRESS, m.remoteAddress);
            exchange.getIn().setHeader(Headers.PROBE_PORT, m.probePort);
        }
    }

    /**
     * Takes the reconfirm probe's result. DEAD is declared here, and only here: the pair is still
     * silent (no frame arrived while the probe was out) and the probe got no valid answer.
     */
    public void probeResult(Exchange exchange) {
        String id = exchange.getIn().getHeader(Headers.KEY, String.class);
        String result = exchange.getIn().getHeader(Headers.PROBE_RESULT, String.class);
        Monitor m = id == null ? null : monitors.get(id);
        if (m == null) {
            return;
        }
        long now = clock.getAsLong();
        synchronized (m) {
            m.reconfirming = false;
            if (m.lastHeardNanos != m.reconfirmBasis
                    || (m.state != MonitorState.LIVE && m.state != MonitorState.WAITING)) {
                return;
            }
            String silence = seconds(now - m.quietSince());
            if ("answered".equals(result)) {
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
            String why;
            if (m.state == MonitorState.LIVE) {
                why = "silent for " + silence + " s";
            } else if (m.restored == MonitorState.DEAD) {
                why = "still silent after the listener restarted";
            } else {
                why = "not heard in the " + silence + " s since the listener started";
            }
            transition(m, MonitorState.DEAD, why + "; probe: " + result, now);
            m.restored = null;
        }
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

    /** How many pairs this listener knows. */
    public int size() {
        return monitors.size();
    }

    /** The connection {@code /ip:port} closed from the other side (see FrameDecoders). */
    public void connectionClosed(String connection) {
        // the reconfirm on disconnect comes with the failover-speed work; nothing to do yet
    }

    private boolean due(Monitor m, long now, long threshold) {
        long quiet = now - m.quietSince();
        return switch (m.state) {
            case LIVE -> quiet >= threshold;
            case WAITING -> m.restored == MonitorState.DEAD || (m.expected && quiet >= threshold);
            default -> false;
        };
    }

    private void transition(Monitor m, MonitorState to, String detail, long now) {
        MonitorState from = m.state;
        m.state = to;
        m.stateSinceNanos = now;
        m.stateSince = Instant.now();
        changed.set(true);
        if (store != null) {
            // on disk before anything acts on the signal
            store.append(saved(m));
        }
        LOG.info("{}: {} -> {} ({})", m.key, from, to, detail);
        publisher.publish(
                new Signal(
                        m.key.host(),
                        m.key.config(),
                        SignalState.valueOf(to.name()),
                        m.stateSince,
                        detail));
    }

    /** Finds the pairs due for a reconfirm that nobody reported yet, and sends them to it. */
    void watch() {
        if (!camelContext.isStarted()) {
            return;
        }
        publishRestoredClose();
        long now = clock.getAsLong();
        long grace = options.thresholdNanos() + 2 * options.checkIntervalNanos();
        List<String> due = new ArrayList<>();
        for (Monitor m : monitors.values()) {
            synchronized (m) {
                if (!m.reconfirming && due(m, now, grace)) {
                    due.add(m.key.id());
                }
            }
        }
        for (String id : due) {
            Exchange exchange = reconfirm.getEndpoint().createExchange();
            exchange.getIn().setHeader(Headers.KEY, id);
            exchange.getIn().setHeader(Headers.CAUSE, "watchdog");
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
        saveIfDue(now);
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
