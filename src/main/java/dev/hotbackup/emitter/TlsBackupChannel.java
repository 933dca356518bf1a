package dev.hotbackup.emitter;

import dev.hotbackup.config.HostPort;
import dev.hotbackup.link.Tls;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backup's heartbeat connection over TLS ({@code hotbackup.tls.*}): a netty channel with an
 * {@code SslHandler}, kept open and written by the emitter itself, one line per frame, on the
 * connections' event loop (where the heartbeat is also timed). Without TLS the emitter writes a
 * plain socket instead ({@link SocketBackupChannel}): netty's write path costs a live host that
 * only heartbeats more CPU than everything else it does (docs/profiles/emitter.md).
 */
final class TlsBackupChannel implements BackupChannel {

    private static final Logger LOG = LoggerFactory.getLogger(TlsBackupChannel.class);

    private final HostPort backup;
    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final AddressLookup lookup;
    private final long connectTimeoutNanos;

    // guarded by this
    private Channel channel;
    private boolean connecting;
    private String pending;
    private Consumer<Throwable> pendingDone;
    private boolean closed;

    TlsBackupChannel(
            HostPort backup,
            EventLoopGroup group,
            AddressLookup lookup,
            long connectTimeoutMillis,
            Tls tls) {
        this.backup = backup;
        this.loop = group.next();
        this.lookup = lookup;
        this.connectTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(connectTimeoutMillis);
        this.bootstrap =
                new Bootstrap()
                        .group(loop)
                        .channel(NioSocketChannel.class)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeoutMillis)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .option(ChannelOption.SO_KEEPALIVE, true)
                        .handler(
                                new ChannelInitializer<SocketChannel>() {
                                    @Override
                                    protected void initChannel(SocketChannel ch) {
                                        ch.pipeline()
                                                .addLast(
                                                        "ssl",
                                                        tls.clientHandler(
                                                                backup.host(), backup.port()));
                                        ch.pipeline().addLast("ignore", new IgnoreInbound());
                                    }
                                });
    }

    @Override
    public void send(String line, Consumer<Throwable> done) {
        Channel c;
        Consumer<Throwable> superseded = null;
        synchronized (this) {
            if (closed) {
                done.accept(new IllegalStateException("the emitter is stopped"));
                return;
            }
            c = channel;
            if (c == null || !c.isActive()) {
                superseded = pendingDone;
                pending = line;
                pendingDone = done;
                if (!connecting) {
                    connecting = true;
                    // the name looked up off the event loop, which times every backup's heartbeat
                    lookup.resolve(backup, loop, connectTimeoutNanos, this::resolved);
                }
                c = null;
            }
        }
        if (superseded != null) {
            superseded.accept(CONNECTING);
        }
        if (c != null) {
            write(c, line, done);
        }
    }

    /** The backup's address: connects; or why there is none: fails the waiting frame. */
    private void resolved(InetSocketAddress address, Exception failure) {
        Consumer<Throwable> done;
        synchronized (this) {
            if (failure == null && !closed) {
                bootstrap.connect(address).addListener(this::opened);
                return;
            }
            connecting = false;
            done = pendingDone;
            pending = null;
            pendingDone = null;
        }
        if (done != null) {
            done.accept(
                    failure != null
                            ? failure
                            : new IllegalStateException("the emitter is stopped"));
        }
    }

    private void opened(io.netty.util.concurrent.Future<? super Void> f) {
        Channel c = ((ChannelFuture) f).channel();
        String line;
        Consumer<Throwable> done;
        synchronized (this) {
            connecting = false;
            line = pending;
            done = pendingDone;
            pending = null;
            pendingDone = null;
            if (f.isSuccess()) {
                if (closed) {
                    c.close();
                } else {
                    channel = c;
                }
            }
        }
        if (!f.isSuccess()) {
            if (done != null) {
                done.accept(f.cause());
            }
            return;
        }
        if (done != null) {
            write(c, line, done);
        }
    }

    private static void write(Channel c, String line, Consumer<Throwable> done) {
        c.writeAndFlush(ByteBufUtil.writeAscii(c.alloc(), line + "\n"))
                .addListener(w -> done.accept(w.cause()));
    }

    @Override
    public void close() {
        Channel c;
        synchronized (this) {
            closed = true;
            c = channel;
            channel = null;
        }
        if (c != null) {
            c.close().awaitUninterruptibly(1000);
        }
    }

    @Override
    public String toString() {
        return backup.toString();
    }

    /** A backup sends nothing on this connection; whatever comes is dropped. */
    private static final class IgnoreInbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // the next frame finds the connection closed and opens it again
            LOG.debug(
                    "Heartbeat connection to {} failed: {}",
                    ctx.channel().remoteAddress(),
                    cause.toString());
            ctx.close();
        }
    }
}
