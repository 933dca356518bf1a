package dev.hotbackup.emitter;

import dev.hotbackup.config.HostPort;
import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.HeartbeatFrame;
import dev.hotbackup.routes.Headers;
import dev.hotbackup.routes.PackRoute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live host's side of the heartbeat, the one step of the {@code heartbeat-emitter} route: makes
 * the next signed frame, hands it to each backup's producer, one-way, and tracks whether each
 * backup is reached. When the instance stops (or steps down as a full backup), the last frame it
 * sends is CLOSE, on the same connection as the heartbeats before it.
 *
 * <p>One step instead of a recipient list: the multicast's exchange copies, completion service and
 * aggregation were about a quarter of a live host's CPU at 10 Hz (1.69 % of a core before, 1.21 %
 * after; docs/profiles/emitter.md).
 */
public final class HeartbeatEmitter implements Processor {

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

    private volatile List<Sink> sinks;
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

    /** A target's producer, created and started once (stopped with Camel), and its reach. */
    private record Sink(AsyncProducer producer, Target target) {}

    /**
     * Each target's producer. Resolved once: endpoint lookup parses and normalises the URI, which
     * is not for every heartbeat.
     */
    private List<Sink> sinks() throws Exception {
        List<Sink> s = sinks;
        if (s == null) {
            synchronized (this) {
                s = sinks;
                if (s == null) {
                    List<Sink> made = new ArrayList<>();
                    for (String uri : targets) {
                        AsyncProducer p = camelContext.getEndpoint(uri).createAsyncProducer();
                        // a service of the context: started now, stopped when Camel stops
                        camelContext.addService(p, true, true);
                        made.add(new Sink(p, reach.get(uri)));
                    }
                    s = List.copyOf(made);
                    sinks = s;
                }
            }
        }
        return s;
    }

    /**
     * One heartbeat: the next frame to every target, without waiting for the writes. Each target's
     * result is recorded when its write completes (a failure is not passed on: one unreachable
     * backup neither stops the heartbeat to the others nor fills the log); once the CLOSE frame
     * completed on every target, {@link #closeAndWait} returns. Nothing is sent once CLOSE was.
     */
    @Override
    public void process(Exchange exchange) throws Exception {
        HeartbeatFrame frame = next();
        if (frame == null) {
            return;
        }
        String line = codec.encode(frame);
        List<Sink> all = sinks();
        AtomicInteger left = new AtomicInteger(all.size());
        boolean close = frame.state() == FrameState.CLOSE;
        for (Sink sink : all) {
            Exchange one = sink.producer().getEndpoint().createExchange();
            one.getIn().setBody(line);
            one.getIn().setHeader(Headers.FRAME_STATE, frame.state().name());
            // the heartbeat table writes the frame's fields, not its line
            one.setProperty(FRAME, frame);
            try {
                sink.producer()
                        .process(one, doneSync -> written(sink, one.getException(), left, close));
            } catch (RuntimeException e) {
                written(sink, e, left, close);
            }
        }
    }

    private void written(Sink sink, Throwable error, AtomicInteger left, boolean close) {
        sink.target().record(error);
        if (left.decrementAndGet() == 0 && close) {
            closeSent.countDown();
        }
    }

    /** The next frame, or {@code null} once CLOSE has been sent. */
    private HeartbeatFrame next() {
        if (closed) {
            return null;
        }
        FrameState state = FrameState.LIVE;
        if (closing) {
            closed = true;
            state = FrameState.CLOSE;
        }
        return new HeartbeatFrame(
                host, config, state, boot, seq.incrementAndGet(), probePort.getAsInt());
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
