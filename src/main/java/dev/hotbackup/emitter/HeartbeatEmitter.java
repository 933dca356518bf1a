package dev.hotbackup.emitter;

import dev.hotbackup.config.HostPort;
import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.HeartbeatFrame;
import dev.hotbackup.routes.Headers;
import dev.hotbackup.routes.PackRoute;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live host's side of the heartbeat, used by the {@code heartbeat-emitter} route: makes the
 * next signed frame, names the backups to send it to, and tracks whether each backup is reached.
 * When the instance stops (or steps down as a full backup), the last frame it sends is CLOSE, on
 * the same connection as the heartbeats before it.
 */
public final class HeartbeatEmitter implements AggregationStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatEmitter.class);

    /** The exchange property that holds the frame being sent. */
    public static final String FRAME = "HotBackupFrame";

    private final String host;
    private final String config;
    private final long boot;
    private final HeartbeatCodec codec;
    private final List<String> targets;
    private final IntSupplier probePort;
    private final CamelContext camelContext;
    private final AtomicLong seq = new AtomicLong();
    private final Map<String, Target> reach = new ConcurrentHashMap<>();

    private volatile List<Endpoint> endpoints;
    private volatile Map<String, Target> byEndpoint = Map.of();
    private volatile boolean closing;
    private volatile boolean closed;
    private volatile CountDownLatch closeSent = new CountDownLatch(1);

    /**
     * @param backups where heartbeats go ({@code hotbackup.backup-location})
     * @param connectTimeoutMillis how long a connection attempt to a backup may take
     * @param tlsOptions endpoint options for TLS ({@code &ssl=true&...}), or empty
     * @param probePort the port this instance answers probes on, announced in every frame
     */
    public HeartbeatEmitter(
            String host,
            String config,
            long boot,
            HeartbeatCodec codec,
            List<HostPort> backups,
            long connectTimeoutMillis,
            String tlsOptions,
            IntSupplier probePort,
            CamelContext camelContext) {
        this(
                host,
                config,
                boot,
                codec,
                backups.stream()
                        .collect(
                                Collectors.toMap(
                                        HostPort::toString,
                                        b -> uri(b, connectTimeoutMillis) + tlsOptions,
                                        (a, b) -> a,
                                        LinkedHashMap::new)),
                probePort,
                camelContext);
    }

    /**
     * @param targets where heartbeats go: a name for people (a backup's {@code host:port}, the
     *     heartbeat table) and the endpoint URI the frame is sent to
     */
    public HeartbeatEmitter(
            String host,
            String config,
            long boot,
            HeartbeatCodec codec,
            Map<String, String> targets,
            IntSupplier probePort,
            CamelContext camelContext) {
        this.host = host;
        this.config = config;
        this.boot = boot;
        this.codec = codec;
        this.probePort = probePort;
        this.camelContext = camelContext;
        this.targets = List.copyOf(targets.values());
        targets.forEach((name, uri) -> reach.put(uri, new Target(name)));
    }

    /**
     * The netty endpoint for one backup: one-way text lines ({@code sync=false}, or the producer
     * waits for a reply that never comes), one pooled connection per backup, and no waiting for a
     * connection when the backup is unreachable: that heartbeat fails fast and the next one tries
     * again.
     */
    static String uri(HostPort backup, long connectTimeoutMillis) {
        return "netty:tcp://"
                + backup.host()
                + ':'
                + backup.port()
                + "?sync=false&textline=true&encoding=US-ASCII"
                + "&producerPoolMaxTotal=1&producerPoolBlockWhenExhausted=false"
                + "&connectTimeout="
                + connectTimeoutMillis;
    }

    /**
     * The backups' endpoints, for the route's recipient list. Resolved once: handing the recipient
     * list URIs would have Camel parse and normalise them on every heartbeat.
     */
    public List<Endpoint> targets() {
        List<Endpoint> e = endpoints;
        if (e == null) {
            e = targets.stream().map(camelContext::getEndpoint).toList();
            Map<String, Target> by = new ConcurrentHashMap<>();
            for (int i = 0; i < e.size(); i++) {
                by.put(e.get(i).getEndpointUri(), reach.get(targets.get(i)));
            }
            byEndpoint = by;
            endpoints = e;
        }
        return e;
    }

    /** Each target by the URI of its resolved endpoint, as the recipient list reports it. */
    private Map<String, Target> byEndpoint() {
        if (byEndpoint.isEmpty()) {
            targets();
        }
        return byEndpoint;
    }

    /**
     * Sets the body to the next frame, or to {@code null} once CLOSE has been sent (the route then
     * sends nothing).
     */
    public void next(Exchange exchange) {
        if (closed) {
            exchange.getIn().setBody(null);
            return;
        }
        FrameState state = FrameState.LIVE;
        if (closing) {
            closed = true;
            state = FrameState.CLOSE;
        }
        HeartbeatFrame frame =
                new HeartbeatFrame(
                        host, config, state, boot, seq.incrementAndGet(), probePort.getAsInt());
        exchange.getIn().setBody(codec.encode(frame));
        exchange.getIn().setHeader(Headers.FRAME_STATE, state.name());
        // the heartbeat table writes the frame's fields, not its line
        exchange.setProperty(FRAME, frame);
    }

    /** Called after a frame went to every backup; releases a waiting {@link #closeAndWait}. */
    public void sent(Exchange exchange) {
        if (FrameState.CLOSE.name().equals(exchange.getIn().getHeader(Headers.FRAME_STATE))) {
            closeSent.countDown();
        }
    }

    /**
     * Collects the result of sending to each backup. Failures are not passed on, so one unreachable
     * backup neither stops the heartbeat to the others nor fills the log: each backup is reported
     * when it becomes unreachable and when it is reached again.
     */
    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        String uri = newExchange.getProperty(Exchange.TO_ENDPOINT, String.class);
        Target t = uri == null ? null : byEndpoint().get(uri);
        if (t != null) {
            t.record(newExchange.getException());
        }
        newExchange.setException(null);
        return oldExchange == null ? newExchange : oldExchange;
    }

    /** Backups currently unreachable, as {@code host:port}, with the last error. */
    public Map<String, String> unreachable() {
        Map<String, String> out = new TreeMap<>();
        reach.values().stream()
                .filter(t -> t.failingSince != 0)
                .forEach(t -> out.put(t.name, t.lastError));
        return out;
    }

    /** Whether this instance is emitting heartbeats now (route started and not closed). */
    public boolean isEmitting() {
        return !closed && routeStarted();
    }

    /** Lets the emitter send LIVE frames again after a CLOSE; called before its route starts. */
    public synchronized void open() {
        closing = false;
        closed = false;
        closeSent = new CountDownLatch(1);
    }

    /**
     * Makes the next frame a CLOSE and waits until it has been written to the backups, up to {@code
     * timeoutMillis}. Returns at once if the emitter is not running.
     */
    public void closeAndWait(long timeoutMillis) {
        CountDownLatch latch;
        synchronized (this) {
            if (closed || !routeStarted()) {
                closed = true;
                return;
            }
            closing = true;
            latch = closeSent;
        }
        try {
            if (latch.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
                LOG.info("Sent CLOSE to {}", reach.values().stream().map(t -> t.name).toList());
            } else {
                LOG.warn(
                        "CLOSE not sent within {} ms; the backups will see silence instead",
                        timeoutMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean routeStarted() {
        ServiceStatus status =
                camelContext.getRouteController().getRouteStatus(PackRoute.HEARTBEAT_EMITTER.id());
        // the first frame leaves while the route is still starting: it counts as emitting
        return status != null && (status.isStarted() || status.isStarting());
    }

    /** Reachability of one backup, reported on change only. */
    private static final class Target {
        final String name;
        volatile long failingSince;
        volatile String lastError;

        Target(String name) {
            this.name = name;
        }

        synchronized void record(Throwable error) {
            if (error instanceof NoSuchElementException) {
                // the one pooled connection is still being opened: not a failure yet; if the
                // connection attempt fails, the next frame reports why
                return;
            }
            if (error == null) {
                if (failingSince != 0) {
                    LOG.info("Heartbeats reach {} again", name);
                }
                failingSince = 0;
                lastError = null;
                return;
            }
            String message =
                    error.getMessage() == null
                            ? error.getClass().getSimpleName()
                            : error.getMessage();
            if (failingSince == 0) {
                failingSince = System.nanoTime() | 1;
                LOG.warn("Heartbeats cannot reach {}: {}", name, message);
            }
            lastError = message;
        }
    }
}
