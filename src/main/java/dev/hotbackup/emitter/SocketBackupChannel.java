package dev.hotbackup.emitter;

import dev.hotbackup.config.HostPort;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backup's heartbeat connection without TLS: a non-blocking socket written by the heartbeat's
 * own thread, one {@code write} per frame, with no event loop, pipeline, promise or pooled buffer
 * between the frame and the kernel. At 10 Hz that is most of what a live host that only heartbeats
 * spends (docs/profiles/emitter.md).
 *
 * <p>Nothing waits on the socket between frames: before each frame a non-blocking read finds out
 * whether the backup closed the connection (it never sends anything else), and the frame goes to a
 * new connection instead. A connection is opened without blocking the heartbeat: the backup's name
 * is looked up on another thread ({@link AddressLookup}), and the connection's completion is
 * checked on the heartbeat's thread, soon and then less often; the lookup and the connection each
 * have {@code connectTimeoutMillis}. If the kernel's buffer is full (the backup stopped reading, or
 * a cut link acknowledges nothing), the unsent end of a frame is kept (a line is never cut) and the
 * frames after it fail, saying so, until the connection moves again; memory stays bounded.
 */
final class SocketBackupChannel implements BackupChannel {

    private static final Logger LOG = LoggerFactory.getLogger(SocketBackupChannel.class);

    /** A frame is at most {@code HeartbeatCodec.MAX_FRAME_LENGTH} characters and its newline. */
    private static final int BUFFER = 2048;

    private static final long FIRST_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long LAST_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final HostPort backup;
    private final ScheduledExecutorService thread;
    private final AddressLookup lookup;
    private final long connectTimeoutNanos;

    // guarded by this
    /** Bytes the kernel has not taken yet, between position and limit. */
    private final ByteBuffer out = ByteBuffer.allocateDirect(BUFFER).limit(0);

    private final ByteBuffer in = ByteBuffer.allocateDirect(256);
    private SocketChannel channel;

    /** Whether a connection is being opened: its address looked up, then connected. */
    private boolean opening;

    private SocketChannel connecting;
    private long connectStarted;
    private ScheduledFuture<?> check;
    private String pending;
    private Consumer<Throwable> pendingDone;
    private boolean closed;

    /**
     * @param thread the heartbeat's thread, where frames are sent and a connection being opened is
     *     checked
     */
    SocketBackupChannel(
            HostPort backup,
            ScheduledExecutorService thread,
            AddressLookup lookup,
            long connectTimeoutMillis) {
        this.backup = backup;
        this.thread = thread;
        this.lookup = lookup;
        this.connectTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(connectTimeoutMillis);
    }

    @Override
    public synchronized void send(String line, Consumer<Throwable> done) {
        if (closed) {
            done.accept(new IllegalStateException("the emitter is stopped"));
            return;
        }
        if (channel != null && closedByBackup(channel)) {
            drop();
        }
        if (channel != null) {
            done.accept(write(line));
            return;
        }
        Consumer<Throwable> superseded = pendingDone;
        pending = line;
        pendingDone = done;
        if (superseded != null) {
            superseded.accept(CONNECTING);
        }
        if (!opening) {
            opening = true;
            lookup.resolve(backup, thread, connectTimeoutNanos, this::resolved);
        }
    }

    /** The backup's address, or why there is none: connects, or fails the waiting frame. */
    private synchronized void resolved(InetSocketAddress address, Exception failure) {
        if (!opening) {
            return; // closed meanwhile
        }
        if (failure != null) {
            connectFailed(failure);
        } else {
            connect(address);
        }
    }

    /** Whether the backup closed or reset the connection; whatever it sent is dropped. */
    private boolean closedByBackup(SocketChannel c) {
        try {
            for (int reads = 0; reads < 16; reads++) {
                in.clear();
                int n = c.read(in);
                if (n < 0) {
                    LOG.debug("Heartbeat connection to {} closed by the backup", backup);
                    return true;
                }
                if (n == 0) {
                    return false;
                }
            }
            return false;
        } catch (IOException e) {
            LOG.debug("Heartbeat connection to {} failed: {}", backup, e.toString());
            return true;
        }
    }

    /** The line to the connection, after what an earlier frame left unsent; its outcome. */
    private Throwable write(String line) {
        try {
            if (out.hasRemaining()) {
                channel.write(out);
                if (out.hasRemaining()) {
                    return new IOException(
                            "the connection is stalled (the backup does not read, or the network"
                                    + " does not deliver): "
                                    + out.remaining()
                                    + " bytes of an earlier frame still wait to be sent");
                }
            }
            if (line.length() >= BUFFER) {
                return new IllegalArgumentException(
                        "a frame of " + line.length() + " characters is too long to send");
            }
            out.clear();
            for (int i = 0; i < line.length(); i++) {
                out.put((byte) line.charAt(i));
            }
            out.put((byte) '\n').flip();
            channel.write(out);
            return null;
        } catch (IOException e) {
            drop();
            return e;
        }
    }

    private void drop() {
        closeQuietly(channel);
        channel = null;
        out.limit(0);
    }

    private void connect(InetSocketAddress address) {
        try {
            SocketChannel c = SocketChannel.open();
            // from here on a failure closes it (connectFailed)
            connecting = c;
            c.configureBlocking(false);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            connectStarted = System.nanoTime();
            if (c.connect(address)) {
                connected();
            } else {
                checkIn(FIRST_CHECK_NANOS);
            }
        } catch (IOException | RejectedExecutionException e) {
            connectFailed(e);
        }
    }

    private void checkIn(long nanos) {
        check = thread.schedule(() -> checkConnect(nanos), nanos, TimeUnit.NANOSECONDS);
    }

    /** Whether the connection is open yet; if not, checks again after twice {@code delay}. */
    private synchronized void checkConnect(long delay) {
        if (connecting == null) {
            return;
        }
        try {
            if (connecting.finishConnect()) {
                connected();
            } else if (System.nanoTime() - connectStarted >= connectTimeoutNanos) {
                connectFailed(
                        new ConnectException(
                                "connection timed out after "
                                        + TimeUnit.NANOSECONDS.toMillis(connectTimeoutNanos)
                                        + " ms"));
            } else {
                checkIn(Math.min(delay * 2, LAST_CHECK_NANOS));
            }
        } catch (IOException | RejectedExecutionException e) {
            connectFailed(e);
        }
    }

    private void connected() {
        channel = connecting;
        connecting = null;
        opening = false;
        out.limit(0);
        Consumer<Throwable> done = pendingDone;
        String line = pending;
        pending = null;
        pendingDone = null;
        if (done != null) {
            done.accept(write(line));
        }
    }

    private void connectFailed(Exception cause) {
        closeQuietly(connecting);
        connecting = null;
        opening = false;
        Consumer<Throwable> done = pendingDone;
        pending = null;
        pendingDone = null;
        if (done != null) {
            done.accept(cause);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (check != null) {
            check.cancel(false);
        }
        connectFailed(new IllegalStateException("the emitter is stopped"));
        closeQuietly(channel);
        channel = null;
    }

    private static void closeQuietly(SocketChannel c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // nothing more can be done with it
        }
    }

    @Override
    public String toString() {
        return backup.toString();
    }
}
