package dev.hotbackup.link;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.camel.component.netty.ChannelHandlerFactory;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Backup listener's Netty handlers, given to the {@code netty:} endpoint as {@code
 * decoders=#hotbackupConnectionGuard,#hotbackupLineDecoder,#hotbackupFrameGate}: the guard bounds
 * how many connections are open (in all and per address), the line decoder cuts the stream into
 * lines of bounded length, and the gate queues only printable-ASCII lines for the monitor (the
 * {@link Backlog}; nothing goes on to the route), closes connections that deliver no line for the
 * idle timeout, and turns oversized lines and bad bytes into counted rejections instead of
 * exceptions.
 */
public final class FrameDecoders {

    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoders.class);

    private FrameDecoders() {}

    /** Refuses connections beyond {@code max} in all or {@code maxPerAddress} from one address. */
    public static ChannelHandler connectionGuard(
            int max, int maxPerAddress, Rejections rejections) {
        return new Guard(max, maxPerAddress, rejections);
    }

    /** Creates one line decoder per connection (Netty decoders keep per-connection state). */
    public static ChannelHandlerFactory lineDecoder() {
        return new Factory() {
            @Override
            public ChannelHandler newChannelHandler() {
                return new LineBasedFrameDecoder(HeartbeatCodec.MAX_FRAME_LENGTH, true, true);
            }
        };
    }

    /**
     * Creates one gate per connection.
     *
     * @param idleNanos a connection that delivers no complete line for this long is closed
     * @param closedByPeer told the remote address ({@code ip:port}) of every connection that the
     *     other side closed or reset; connections this listener closed itself are not reported
     */
    public static ChannelHandlerFactory frameGate(
            Rejections rejections, long idleNanos, Consumer<String> closedByPeer, Backlog backlog) {
        return new Factory() {
            @Override
            public ChannelHandler newChannelHandler() {
                return new Gate(rejections, idleNanos, closedByPeer, backlog);
            }
        };
    }

    /**
     * Frames let through the gate and not yet taken by the monitor: bounded queues between the
     * network threads and the threads that hand each line to the monitor ({@code
     * hotbackup-intake-N}), without a Camel exchange per frame. Each connection is given one lane
     * (queue and thread) when it opens, so its frames stay in order; the lanes spread the
     * connections over the cores.
     *
     * <p>A lane whose queue is full is <em>behind</em>: until it has caught up it keeps only the
     * newest frame of each connection and host (a heartbeat says no more than the next one of the
     * same host; the older one is counted as {@code superseded}), in the order the hosts first
     * arrived, for at most as many hosts as its queue holds; a frame beyond that is dropped
     * (counted as {@code overloaded}). So a listener that cannot keep up for a while, such as one
     * started while thousands of hosts are already sending, loses no host's latest word and never
     * queues until it runs out of heap. A CLOSE frame is never superseded.
     */
    public static final class Backlog extends ServiceSupport {

        /** Where the lines go: the monitor's intake. */
        public interface Sink {
            void line(String line, String source, String address);
        }

        private record Line(String text, String source, String address) {}

        private static final int BATCH = 256;

        private final int max;
        private final Lane[] lanes;
        private final AtomicInteger next = new AtomicInteger();
        private volatile Sink sink;

        /** A lane keeps room for one CLOSE frame per this many frames of its queue. */
        static final int CLOSE_RESERVE = 100;

        /** What became of an offered frame. */
        enum Offer {
            /** Waiting to be handled. */
            QUEUED,
            /**
             * Waiting to be handled, in place of an older frame of the same connection and host.
             */
            SUPERSEDED,
            /** Not kept: the lane is behind on as many hosts as it can hold. */
            DROPPED
        }

        private volatile long lastBehindNanos;
        private volatile boolean wasBehind;

        /** One lane per core. */
        public Backlog(int max) {
            this(max, Runtime.getRuntime().availableProcessors());
        }

        /**
         * @param max frames waiting in all lanes together, at most
         */
        public Backlog(int max, int lanes) {
            this.max = max;
            int n = Math.max(1, Math.min(lanes, max));
            this.lanes = new Lane[n];
            for (int i = 0; i < n; i++) {
                // the bound is shared out; the first lanes take what does not divide evenly
                this.lanes[i] = new Lane(i + 1, max / n + (i < max % n ? 1 : 0));
            }
        }

        /** Sets where the lines go; before the listener starts. */
        public void drainInto(Sink sink) {
            this.sink = sink;
        }

        /** The lane of a new connection: each in turn. */
        Lane nextLane() {
            return lanes[Math.floorMod(next.getAndIncrement(), lanes.length)];
        }

        /**
         * Whether a lane was behind (frames superseded or dropped) in the last {@code nanos}: a
         * host's silence may then be this listener's.
         */
        public boolean behindWithin(long nanos) {
            return wasBehind && System.nanoTime() - lastBehindNanos < nanos;
        }

        public int max() {
            return max;
        }

        /** Frames waiting now, in all lanes. */
        public int waiting() {
            int n = 0;
            for (Lane l : lanes) {
                n += l.waiting();
            }
            return n;
        }

        @Override
        protected void doStart() {
            if (sink == null) {
                throw new IllegalStateException("the backlog has nowhere to drain into");
            }
            for (Lane l : lanes) {
                l.start();
            }
        }

        @Override
        protected void doStop() throws InterruptedException {
            for (Lane l : lanes) {
                l.stop();
            }
        }

        /**
         * One queue and the thread that drains it; while behind, the newest frame of each
         * connection and host instead (see {@link Backlog}), with a reserve of a hundredth for
         * CLOSE frames, so that a host that stops cleanly while the listener is behind is still
         * seen to close instead of going silent and being taken for DEAD.
         */
        final class Lane {
            private final ArrayBlockingQueue<Line> queue;
            // while behind: by connection and host, in the order they first came; guarded by itself
            private final LinkedHashMap<String, Line> newest = new LinkedHashMap<>();
            private volatile boolean behind;
            private final int capacity;
            private final String name;
            private Thread thread;

            Lane(int number, int capacity) {
                this.queue = new ArrayBlockingQueue<>(capacity);
                this.capacity = capacity;
                this.name = "hotbackup-intake-" + number;
            }

            /** Queues one line, or keeps it as its host's newest while the lane is behind. */
            Offer offer(String line, String source, String address) {
                Line l = new Line(line, source, address);
                if (!behind && queue.offer(l)) {
                    return Offer.QUEUED;
                }
                synchronized (newest) {
                    if (!behind) {
                        if (queue.offer(l)) {
                            return Offer.QUEUED;
                        }
                        behind = true;
                    }
                    lastBehindNanos = System.nanoTime();
                    wasBehind = true;
                    boolean close = isClose(line);
                    String key = source + ' ' + hostAndConfig(line);
                    Line older = newest.get(key);
                    if (older != null) {
                        if (isClose(older.text()) && !close) {
                            return Offer.DROPPED; // nothing follows a CLOSE it could stand for
                        }
                        newest.put(key, l);
                        return Offer.SUPERSEDED;
                    }
                    int room = close ? capacity + Math.max(1, capacity / CLOSE_RESERVE) : capacity;
                    if (newest.size() >= room) {
                        return Offer.DROPPED;
                    }
                    newest.put(key, l);
                    return Offer.QUEUED;
                }
            }

            /** Whether the lane is behind: not caught up since its queue was full. */
            boolean isBehind() {
                return behind;
            }

            int waiting() {
                synchronized (newest) {
                    return queue.size() + newest.size();
                }
            }

            /**
             * The next lines in order: from the queue; once it is empty while behind, every host's
             * newest, and the lane has caught up when there are none left.
             */
            private void next(List<Line> batch) throws InterruptedException {
                if (!behind) {
                    batch.add(queue.take());
                    queue.drainTo(batch, BATCH - 1);
                    return;
                }
                queue.drainTo(batch, BATCH);
                if (batch.isEmpty()) {
                    synchronized (newest) {
                        batch.addAll(newest.values());
                        newest.clear();
                        behind = !batch.isEmpty();
                    }
                }
            }

            private void drain() {
                List<Line> batch = new ArrayList<>(BATCH);
                while (isRunAllowed()) {
                    try {
                        next(batch);
                    } catch (InterruptedException e) {
                        return; // stopping
                    }
                    Sink to = sink;
                    for (Line l : batch) {
                        try {
                            to.line(l.text(), l.source(), l.address());
                        } catch (RuntimeException e) {
                            // a bug in one frame's handling must not stop the listener hearing
                            LOG.error(
                                    "Cannot handle the frame from {}: {}",
                                    l.source(),
                                    e.toString(),
                                    e);
                        }
                    }
                    batch.clear();
                }
            }

            void start() {
                thread = new Thread(this::drain, name);
                thread.setDaemon(true);
                thread.start();
            }

            void stop() throws InterruptedException {
                Thread t = thread;
                if (t != null) {
                    t.interrupt();
                    t.join(TimeUnit.SECONDS.toMillis(5));
                    thread = null;
                }
                queue.clear();
                synchronized (newest) {
                    newest.clear();
                    behind = false;
                }
            }
        }
    }

    /**
     * Whether a line's state field is CLOSE: the fourth field of {@code v host config STATE ...}
     * (names are encoded, so no field holds a space). Unsigned and malformed lines are told apart
     * later, by the monitor.
     */
    static boolean isClose(String line) {
        int at = 0;
        for (int field = 0; field < 3; field++) {
            at = line.indexOf(' ', at) + 1;
            if (at == 0) {
                return false;
            }
        }
        return line.startsWith("CLOSE ", at);
    }

    /**
     * The second and third fields of {@code v host config STATE ...} as they stand (encoded), or
     * the whole line when it has fewer: what tells one host's frames from another's on one
     * connection, before the frame is checked.
     */
    static String hostAndConfig(String line) {
        int from = line.indexOf(' ') + 1;
        int mid = from == 0 ? -1 : line.indexOf(' ', from);
        int to = mid < 0 ? -1 : line.indexOf(' ', mid + 1);
        return from == 0 || mid < 0 ? line : line.substring(from, to < 0 ? line.length() : to);
    }

    /** The remote address as the netty consumer reports it: {@code /ip:port}. */
    public static String source(ChannelHandlerContext ctx) {
        return String.valueOf(ctx.channel().remoteAddress());
    }

    /** Base for the factories: Camel asks a factory for a handler per new connection. */
    private abstract static class Factory implements ChannelHandlerFactory {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            // factories are never added to a pipeline themselves
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            // factories are never added to a pipeline themselves
        }

        @Override
        @SuppressWarnings("deprecation")
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.fireExceptionCaught(cause);
        }
    }

    /** Counts open connections; one instance for the whole listener. */
    @ChannelHandler.Sharable
    static final class Guard extends ChannelInboundHandlerAdapter {
        private static final AttributeKey<InetAddress> COUNTED =
                AttributeKey.valueOf("hotbackup.counted");

        private final int max;
        private final int maxPerAddress;
        private final Rejections rejections;
        private final AtomicInteger open = new AtomicInteger();
        private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress =
                new ConcurrentHashMap<>();

        Guard(int max, int maxPerAddress, Rejections rejections) {
            this.max = max;
            this.maxPerAddress = maxPerAddress;
            this.rejections = rejections;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
            ctx.channel().attr(COUNTED).set(address);
            int all = open.incrementAndGet();
            int fromAddress =
                    perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
            if (all > max || fromAddress > maxPerAddress) {
                rejections.reject(
                        RejectReason.TOO_MANY_CONNECTIONS,
                        all > max
                                ? all + " open connections (limit " + max + ")"
                                : fromAddress
                                        + " open connections from "
                                        + address.getHostAddress()
                                        + " (limit "
                                        + maxPerAddress
                                        + ")",
                        source(ctx));
                ctx.channel().attr(Gate.CLOSED_HERE).set(Boolean.TRUE);
                ctx.close();
                return;
            }
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            InetAddress address = ctx.channel().attr(COUNTED).getAndSet(null);
            if (address != null) {
                open.decrementAndGet();
                perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
            }
            super.channelInactive(ctx);
        }

        /** Connections open now. */
        int open() {
            return open.get();
        }
    }

    /** Printable ASCII lines in, Strings out; everything else counted and dropped. */
    static final class Gate extends MessageToMessageDecoder<ByteBuf> {
        /** Set on a channel this listener closes itself (idle, limits). */
        static final AttributeKey<Boolean> CLOSED_HERE =
                AttributeKey.valueOf("hotbackup.closedHere");

        private final Rejections rejections;
        private final long idleNanos;
        private final Consumer<String> closedByPeer;
        private final Backlog backlog;
        private final Backlog.Lane lane;
        private volatile long lastLine = System.nanoTime();
        private ScheduledFuture<?> idleCheck;
        // the connection's remote address, as the rejections and the monitor name it
        private String source;
        private String address;

        Gate(
                Rejections rejections,
                long idleNanos,
                Consumer<String> closedByPeer,
                Backlog backlog) {
            this.backlog = backlog;
            this.lane = backlog.nextLane();
            this.rejections = rejections;
            this.idleNanos = idleNanos;
            this.closedByPeer = closedByPeer;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            long period =
                    Math.max(
                            TimeUnit.MILLISECONDS.toNanos(20),
                            Math.min(idleNanos / 4, TimeUnit.SECONDS.toNanos(1)));
            idleCheck =
                    ctx.executor()
                            .scheduleAtFixedRate(
                                    () -> closeIfIdle(ctx), period, period, TimeUnit.NANOSECONDS);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (idleCheck != null) {
                idleCheck.cancel(false);
            }
        }

        private void closeIfIdle(ChannelHandlerContext ctx) {
            long quiet = System.nanoTime() - lastLine;
            if (quiet >= idleNanos && ctx.channel().isActive()) {
                rejections.reject(
                        RejectReason.IDLE,
                        "no complete line for " + TimeUnit.NANOSECONDS.toMillis(quiet) + " ms",
                        source(ctx));
                ctx.channel().attr(CLOSED_HERE).set(Boolean.TRUE);
                ctx.close();
            }
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf line, List<Object> out) {
            lastLine = System.nanoTime();
            int n = line.readableBytes();
            int from = line.readerIndex();
            for (int i = 0; i < n; i++) {
                byte b = line.getByte(from + i);
                if (b < 0x20 || b > 0x7E) {
                    rejections.reject(
                            RejectReason.ENCODING,
                            String.format("byte 0x%02X at offset %d", b & 0xFF, i),
                            source(ctx));
                    return;
                }
            }
            if (n < 4 || line.getByte(from) != 'H' || line.getByte(from + 1) != 'B') {
                // refused here, before the queue: a flood of junk cannot crowd out real frames
                rejections.reject(RejectReason.MALFORMED, "not a heartbeat frame", source(ctx));
                return;
            }
            if (source == null) {
                source = source(ctx);
                address =
                        ctx.channel().remoteAddress() instanceof InetSocketAddress inet
                                        && inet.getAddress() != null
                                ? inet.getAddress().getHostAddress()
                                : null;
            }
            switch (lane.offer(
                    line.toString(from, n, StandardCharsets.US_ASCII), source, address)) {
                case QUEUED -> {}
                case SUPERSEDED ->
                        rejections.reject(
                                RejectReason.SUPERSEDED,
                                "a newer frame of the same host came before this listener"
                                        + " handled it (behind: "
                                        + lanesBehind()
                                        + ")",
                                source);
                case DROPPED ->
                        rejections.reject(
                                RejectReason.OVERLOADED,
                                "this connection's lane is behind on "
                                        + lane.capacity
                                        + " hosts already ("
                                        + lanesBehind()
                                        + ")",
                                source);
            }
            // nothing goes on to the route: the line is the monitor's (no exchange per frame)
        }

        private String lanesBehind() {
            return lane.capacity
                    + " frames of this connection's lane waited (hotbackup.listener.max-backlog="
                    + backlog.max()
                    + " shared by "
                    + backlog.lanes.length
                    + " lanes)";
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (ctx.channel().attr(CLOSED_HERE).get() == null) {
                closedByPeer.accept(source(ctx));
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable root =
                    cause instanceof DecoderException && cause.getCause() != null
                            ? cause.getCause()
                            : cause;
            if (root instanceof TooLongFrameException) {
                rejections.reject(
                        RejectReason.OVERSIZED,
                        "line longer than " + HeartbeatCodec.MAX_FRAME_LENGTH + " bytes",
                        source(ctx));
            } else if (root instanceof IOException) {
                // a peer that vanishes (reset, killed process) is normal for this listener
                LOG.debug("Connection {} closed: {}", source(ctx), root.getMessage());
                ctx.close();
            } else {
                ctx.fireExceptionCaught(cause);
            }
        }
    }
}
