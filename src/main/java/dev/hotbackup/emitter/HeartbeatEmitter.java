package dev.hotbackup.emitter;

import dev.hotbackup.config.HostPort;
import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.HeartbeatFrame;
import dev.hotbackup.link.Tls;
import dev.hotbackup.routes.Headers;
import dev.hotbackup.routes.PackRoute;
import dev.hotbackup.support.LogEvery;
import dev.hotbackup.support.Threads;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Service;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live host's side of the heartbeat, driven by the {@code heartbeat-emitter} route's clock
 * ({@link HeartbeatComponent}): makes the next signed frame, writes it to each backup's connection
 * ({@link BackupChannel}), one-way, and tracks whether each backup is reached. When the instance
 * stops (or steps down as a full backup), the last frame it sends is CLOSE, on the same connection
 * as the heartbeats before it.
 *
 * <p>Per heartbeat no Camel exchange, recipient list or netty producer: at 10 Hz those were most of
 * a live host's CPU (1.69 % of a core with a recipient list, 1.21 % with one step, 0.97 % writing
 * the connections directly, 0.54 % with the clock on the connections' thread and no exchange, 0.44
 * % writing a plain socket, as documented with {@code -XX:PerfDataSamplingInterval=1000};
 * docs/profiles/emitter.md).
 */
public final class HeartbeatEmitter {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatEmitter.class);

    /** The exchange property that holds the frame being sent. */
    public static final String FRAME = "HotBackupFrame";

    private final String host;
    private final String config;
    private final long boot;
    private final HeartbeatCodec codec;
    private final List<String> targets;
    private final List<HostPort> backups;
    private final long connectTimeoutMillis;
    private final Tls tls;
    private final IntSupplier probePort;
    private final CamelContext camelContext;
    private final AtomicLong seq = new AtomicLong();
    private final Map<String, Target> reach = new ConcurrentHashMap<>();

    private final Connections connections = new Connections();
    // only the heartbeat's own thread touches it
    private final LogEvery failureLog = new LogEvery(Duration.ofMinutes(1));
    private volatile List<Sink> sinks;
    private volatile boolean closing;
    private volatile boolean closed;
    private volatile CountDownLatch closeSent = new CountDownLatch(1);
    private volatile ScheduledFuture<?> clock;

    /**
     * @param backups where heartbeats go ({@code hotbackup.backup-location}), one connection each
     * @param connectTimeoutMillis how long a connection attempt to a backup may take
     * @param tls TLS for the connections, or {@code null}
     * @param probePort the port this instance answers probes on, announced in every frame
     */
    public HeartbeatEmitter(
            String host,
            String config,
            long boot,
            HeartbeatCodec codec,
            List<HostPort> backups,
            long connectTimeoutMillis,
            Tls tls,
            IntSupplier probePort,
            CamelContext camelContext) {
        this(
                host,
                config,
                boot,
                codec,
                Map.of(),
                backups,
                connectTimeoutMillis,
                tls,
                probePort,
                camelContext);
        backups.forEach(b -> reach.put(b.toString(), new Target(b.toString())));
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
        this(host, config, boot, codec, targets, List.of(), 0, null, probePort, camelContext);
        targets.forEach((name, uri) -> reach.put(uri, new Target(name)));
    }

    private HeartbeatEmitter(
            String host,
            String config,
            long boot,
            HeartbeatCodec codec,
            Map<String, String> targets,
            List<HostPort> backups,
            long connectTimeoutMillis,
            Tls tls,
            IntSupplier probePort,
            CamelContext camelContext) {
        this.host = host;
        this.config = config;
        this.boot = boot;
        this.codec = codec;
        this.probePort = probePort;
        this.camelContext = camelContext;
        this.targets = List.copyOf(targets.values());
        this.backups = List.copyOf(new LinkedHashSet<>(backups));
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.tls = tls;
    }

    /** Where one target's frames go, and its reach. */
    private interface Sink {
        /** Sends one frame; {@code done} gets its outcome ({@code null}: written). */
        void send(HeartbeatFrame frame, String line, Consumer<Throwable> done);

        Target target();
    }

    /** A backup's own connection. */
    private record ChannelSink(BackupChannel channel, Target target) implements Sink {
        @Override
        public void send(HeartbeatFrame frame, String line, Consumer<Throwable> done) {
            channel.send(line, done);
        }
    }

    /** An endpoint's producer (the heartbeat table's bean), created and started once. */
    private record ProducerSink(AsyncProducer producer, Target target) implements Sink {
        @Override
        public void send(HeartbeatFrame frame, String line, Consumer<Throwable> done) {
            Exchange one = producer.getEndpoint().createExchange();
            one.getIn().setBody(line);
            one.getIn().setHeader(Headers.FRAME_STATE, frame.state().name());
            // the heartbeat table writes the frame's fields, not its line
            one.setProperty(FRAME, frame);
            try {
                producer.process(one, doneSync -> done.accept(one.getException()));
            } catch (RuntimeException e) {
                done.accept(e);
            }
        }
    }

    /**
     * The backups' connections and the heartbeat's thread, a service of the context: opened at
     * start, closed when Camel stops (after the CLOSE frame). Not tied to a route: several routes
     * may share this emitter.
     */
    public Service connections() {
        return connections;
    }

    private final class Connections extends ServiceSupport {
        private EventLoopGroup group;
        private ScheduledExecutorService own;
        private ExecutorService lookups;

        /**
         * Where heartbeats are timed and written: the TLS connections' event loop, else a thread of
         * its own.
         */
        synchronized ScheduledExecutorService clock() {
            if (group != null) {
                return group.next();
            }
            if (own == null) {
                own =
                        camelContext
                                .getExecutorServiceManager()
                                .newSingleThreadScheduledExecutor(this, "hotbackup-heartbeat");
            }
            return own;
        }

        /** Where backups' names are looked up: made for the first name (not for IP addresses). */
        synchronized ExecutorService lookupThreads() {
            if (lookups == null) {
                // threads end after a minute without a lookup
                lookups = Executors.newCachedThreadPool(Threads.daemon("hotbackup-lookup"));
            }
            return lookups;
        }

        @Override
        protected synchronized void doStart() {
            if (backups.isEmpty()) {
                return;
            }
            if (tls != null) {
                group =
                        new NioEventLoopGroup(
                                1, new DefaultThreadFactory("hotbackup-heartbeat", true));
            }
            AddressLookup lookup = new AddressLookup(InetAddress::getByName, this::lookupThreads);
            List<Sink> made = new ArrayList<>();
            for (HostPort b : backups) {
                BackupChannel channel =
                        tls == null
                                ? new SocketBackupChannel(b, clock(), lookup, connectTimeoutMillis)
                                : new TlsBackupChannel(b, group, lookup, connectTimeoutMillis, tls);
                made.add(new ChannelSink(channel, reach.get(b.toString())));
            }
            sinks = List.copyOf(made);
        }

        @Override
        protected synchronized void doStop() {
            if (own != null) {
                camelContext.getExecutorServiceManager().shutdownNow(own);
                own = null;
            }
            if (backups.isEmpty()) {
                return;
            }
            for (Sink sink : sinks) {
                if (sink instanceof ChannelSink c) {
                    c.channel().close();
                }
            }
            sinks = null;
            // a lookup still waiting for the name service ends with it; nobody takes its answer
            if (lookups != null) {
                lookups.shutdownNow();
                lookups = null;
            }
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5000);
                group = null;
            }
        }
    }

    /**
     * Each target's sink: the backups' connections, made at start; an endpoint's producer is
     * resolved once, on the first frame (endpoint lookup parses and normalises the URI, which is
     * not for every heartbeat).
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
                        made.add(new ProducerSink(p, reach.get(uri)));
                    }
                    s = List.copyOf(made);
                    sinks = s;
                }
            }
        }
        return s;
    }

    /**
     * Sends the next frame every {@code interval} until the returned future is cancelled (the
     * emitter route's consumer, {@link HeartbeatComponent}): on the thread that writes the
     * connections (with TLS their event loop), or, for endpoint targets (the heartbeat table's JDBC
     * writes), on a thread of its own.
     */
    ScheduledFuture<?> beatEvery(Duration interval) {
        ScheduledFuture<?> f =
                connections
                        .clock()
                        .scheduleWithFixedDelay(
                                this::beatSafely, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        clock = f;
        return f;
    }

    /** Whether the heartbeat's clock runs (it starts once Camel has fully started). */
    private boolean ticking() {
        ScheduledFuture<?> f = clock;
        return f != null && !f.isCancelled();
    }

    /**
     * A scheduled task that throws is never run again: one bad heartbeat must not end them. A
     * failure that repeats is logged once a minute, with the count, not ten times a second.
     */
    private void beatSafely() {
        try {
            beat();
        } catch (Exception | Error e) {
            long now = System.nanoTime();
            if (failureLog.due(now)) {
                LOG.error(
                        "Heartbeat not sent ({} since the last report): {}",
                        failureLog.logged(now) + 1,
                        e.toString(),
                        e);
            }
        }
    }

    /**
     * One heartbeat: the next frame to every target, without waiting for the writes. Each target's
     * result is recorded when its write completes (a failure is not passed on: one unreachable
     * backup neither stops the heartbeat to the others nor fills the log); once the CLOSE frame
     * completed on every target, {@link #closeAndWait} returns. Nothing is sent once CLOSE was.
     */
    void beat() throws Exception {
        HeartbeatFrame frame = next();
        if (frame == null) {
            return;
        }
        String line = codec.encode(frame);
        List<Sink> all = sinks();
        if (frame.state() != FrameState.CLOSE) {
            for (Sink sink : all) {
                sink.send(frame, line, sink.target());
            }
            return;
        }
        AtomicInteger left = new AtomicInteger(all.size());
        for (Sink sink : all) {
            sink.send(
                    frame,
                    line,
                    error -> {
                        sink.target().accept(error);
                        if (left.decrementAndGet() == 0) {
                            closeSent.countDown();
                        }
                    });
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

    /**
     * Whether this instance is emitting heartbeats now (route started, clock running, not closed).
     */
    public boolean isEmitting() {
        return !closed && routeStarted() && ticking();
    }

    /** Lets the emitter send LIVE frames again after a CLOSE; called before its route starts. */
    public synchronized void open() {
        closing = false;
        closed = false;
        closeSent = new CountDownLatch(1);
    }

    /**
     * Makes the next frame a CLOSE and waits until it has been written to the backups, up to {@code
     * timeoutMillis}. Returns at once if the emitter is not running, or never began (Camel did not
     * fully start: no backup heard LIVE from this run).
     */
    public void closeAndWait(long timeoutMillis) {
        CountDownLatch latch;
        synchronized (this) {
            if (closed || !routeStarted() || !ticking()) {
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
        // started by controlbus, the first frame leaves while the route is still starting
        return status != null && (status.isStarted() || status.isStarting());
    }

    /** Reachability of one backup, reported on change only; takes each frame's outcome. */
    private static final class Target implements Consumer<Throwable> {
        final String name;
        volatile long failingSince;
        volatile String lastError;

        Target(String name) {
            this.name = name;
        }

        @Override
        public void accept(Throwable error) {
            if (error == null && failingSince == 0) {
                return; // reached, as the frame before: nothing changes (nearly every frame)
            }
            record(error);
        }

        private synchronized void record(Throwable error) {
            if (error == BackupChannel.CONNECTING) {
                // superseded while the connection is being opened: not a failure yet; if the
                // connection attempt fails, the frame waiting for it reports why
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
