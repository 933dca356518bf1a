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
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * #silent} when the threshold aggregator reports a silent pair, and {@link #probeResult} when the
 * reconfirm probe is done. A monotonic watchdog backs the aggregator up for what it cannot see: a
 * pair whose probe was answered (no heartbeat re-arms the aggregator) and jumps of the wall clock,
 * which Camel's aggregation timeout map runs on.
 */
public final class MonitorRegistry extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorRegistry.class);

    /** The reconfirm route's input. */
    public static final String RECONFIRM_ENDPOINT = "direct:hotbackup-reconfirm";

    /** Slack between the aggregator's millisecond wall clock and the monotonic clock. */
    private static final long TOLERANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final ConcurrentHashMap<String, Monitor> monitors = new ConcurrentHashMap<>();
    private final long thresholdNanos;
    private final long checkIntervalNanos;
    private final SignalPublisher publisher;
    private final Rejections rejections;
    private final ActivityLog activity;
    private final CamelContext camelContext;
    private final LongSupplier clock;

    private ScheduledExecutorService watchdog;
    private AsyncProducer reconfirm;

    public MonitorRegistry(
            long thresholdNanos,
            long checkIntervalNanos,
            SignalPublisher publisher,
            Rejections rejections,
            ActivityLog activity,
            CamelContext camelContext,
            LongSupplier clock) {
        this.thresholdNanos = thresholdNanos;
        this.checkIntervalNanos = checkIntervalNanos;
        this.publisher = publisher;
        this.rejections = rejections;
        this.activity = activity;
        this.camelContext = camelContext;
        this.clock = clock;
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
            m.probePort = frame.probePort();
            if (frame.state() == FrameState.CLOSE) {
                if (m.state != MonitorState.CLOSE) {
                    transition(m, MonitorState.CLOSE, "the host is stopping normally", now);
                }
            } else if (m.state != MonitorState.LIVE) {
                String detail =
                        switch (m.state) {
                            case WAITING -> "first heartbeat";
                            case DEAD -> "heartbeats again after DEAD";
                            default -> "heartbeats again after CLOSE";
                        };
                transition(m, MonitorState.LIVE, detail, now);
            }
        }
        exchange.getIn().setHeader(Headers.KEY, key.id());
        exchange.getIn().setHeader(Headers.FRAME_STATE, frame.state().name());
    }

    /**
     * Called for a pair the aggregator (or the watchdog) found silent. If it is LIVE and has really
     * been silent for the threshold, marks a reconfirm in flight and sets the probe target headers;
     * otherwise leaves them unset and nothing more happens.
     */
    public void silent(Exchange exchange) {
        String id = exchange.getIn().getHeader(Headers.KEY, String.class);
        Monitor m = id == null ? null : monitors.get(id);
        if (m == null) {
            return;
        }
        long now = clock.getAsLong();
        synchronized (m) {
            if (m.state != MonitorState.LIVE || m.reconfirming) {
                return;
            }
            if (now - m.quietSince() < thresholdNanos - TOLERANCE_NANOS) {
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
     * LIVE, no frame arrived while the probe was out, and the probe got no valid answer.
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
            if (m.state != MonitorState.LIVE || m.lastHeardNanos != m.reconfirmBasis) {
                return;
            }
            String silence = seconds(now - m.lastHeardNanos);
            if ("answered".equals(result)) {
                m.lastAnsweredNanos = now;
                LOG.info("{} silent for {} s but answered the probe: still LIVE", m.key, silence);
                activity.record(
                        "probe",
                        m.key.host(),
                        m.key.config(),
                        m.state.name(),
                        "silent for " + silence + " s; probe answered");
                return;
            }
            transition(m, MonitorState.DEAD, "silent for " + silence + " s; probe: " + result, now);
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

    /** How many pairs this listener knows. */
    public int size() {
        return monitors.size();
    }

    private void transition(Monitor m, MonitorState to, String detail, long now) {
        MonitorState from = m.state;
        m.state = to;
        m.stateSinceNanos = now;
        m.stateSince = Instant.now();
        LOG.info("{}: {} -> {} ({})", m.key, from, to, detail);
        publisher.publish(
                new Signal(
                        m.key.host(),
                        m.key.config(),
                        SignalState.valueOf(to.name()),
                        m.stateSince,
                        detail));
    }

    /** Finds LIVE pairs the aggregator has not reported although their silence is overdue. */
    void watch() {
        long now = clock.getAsLong();
        long due = thresholdNanos + 2 * checkIntervalNanos;
        List<String> overdue = new ArrayList<>();
        for (Monitor m : monitors.values()) {
            synchronized (m) {
                if (m.state == MonitorState.LIVE
                        && !m.reconfirming
                        && now - m.quietSince() >= due) {
                    overdue.add(m.key.id());
                }
            }
        }
        for (String id : overdue) {
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
    }

    @Override
    protected void doStart() throws Exception {
        Endpoint endpoint = camelContext.getEndpoint(RECONFIRM_ENDPOINT);
        reconfirm = endpoint.createAsyncProducer();
        reconfirm.start();
        watchdog =
                camelContext
                        .getExecutorServiceManager()
                        .newSingleThreadScheduledExecutor(this, "hotbackup-watchdog");
        long period = Math.max(1, TimeUnit.NANOSECONDS.toMillis(checkIntervalNanos));
        watchdog.scheduleWithFixedDelay(this::watchSafely, period, period, TimeUnit.MILLISECONDS);
    }

    private void watchSafely() {
        try {
            watch();
        } catch (RuntimeException e) {
            LOG.warn("Watchdog pass failed: {}", e.getMessage(), e);
        }
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
