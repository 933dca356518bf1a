package dev.hotbackup.probe;

import dev.hotbackup.link.Signer;
import dev.hotbackup.link.Tls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the backup's reconfirm probe on the live host, on a thread of its own so that busy
 * business routes cannot delay the answer. Answers only while the heartbeat emitter is running: a
 * host that stopped emitting on purpose does not claim to be alive.
 */
public final class ProbeResponder extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeResponder.class);

    private final String bindAddress;
    private final int port;
    private final String host;
    private final String config;
    private final LongSupplier boot;
    private final Signer signer;
    private final BooleanSupplier alive;
    private final Tls tls;

    private EventLoopGroup group;
    private Channel server;
    private volatile int boundPort;

    /**
     * @param bindAddress local address to listen on; empty for all
     * @param port port to listen on; 0 for any free port (announced in the frames)
     * @param boot the current boot id of this instance
     * @param alive whether this instance currently emits heartbeats
     * @param tls TLS for probe connections, or {@code null}
     */
    public ProbeResponder(
            String bindAddress,
            int port,
            String host,
            String config,
            LongSupplier boot,
            Signer signer,
            BooleanSupplier alive,
            Tls tls) {
        this.bindAddress = bindAddress;
        this.port = port;
        this.host = host;
        this.config = config;
        this.boot = boot;
        this.signer = signer;
        this.alive = alive;
        this.tls = tls;
    }

    /** The port probes are answered on, once started; 0 before. */
    public int boundPort() {
        return boundPort;
    }

    @Override
    protected void doStart() throws Exception {
        group =
                new NioEventLoopGroup(
                        1, new DefaultThreadFactory("hotbackup-probe-responder", true));
        ServerBootstrap bootstrap =
                new ServerBootstrap()
                        .group(group)
                        .channel(NioServerSocketChannel.class)
                        .childHandler(
                                new ChannelInitializer<SocketChannel>() {
                                    @Override
                                    protected void initChannel(SocketChannel ch) {
                                        if (tls != null) {
                                            ch.pipeline().addLast(tls.serverHandler());
                                        }
                                        ch.pipeline()
                                                .addLast(
                                                        new ReadTimeoutHandler(
                                                                5, TimeUnit.SECONDS));
                                        ProbeMessages.addLineCodec(ch.pipeline());
                                        ch.pipeline().addLast(new Answerer());
                                    }
                                });
        InetSocketAddress address =
                bindAddress == null || bindAddress.isEmpty()
                        ? new InetSocketAddress(port)
                        : new InetSocketAddress(bindAddress, port);
        try {
            server = bootstrap.bind(address).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException(
                    "Cannot listen for reconfirm probes on "
                            + address
                            + " (hotbackup.probe.port / hotbackup.probe.bind-address): "
                            + e.getMessage(),
                    e);
        }
        boundPort = ((InetSocketAddress) server.localAddress()).getPort();
        LOG.info("Answering reconfirm probes on port {}", boundPort);
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            server = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS)
                    .awaitUninterruptibly(3, TimeUnit.SECONDS);
            group = null;
        }
        boundPort = 0;
    }

    private final class Answerer extends SimpleChannelInboundHandler<String> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            String answer =
                    alive.getAsBoolean()
                            ? ProbeMessages.answer(line, host, config, boot.getAsLong(), signer)
                            : null;
            if (answer == null) {
                ctx.close();
                return;
            }
            ctx.writeAndFlush(
                            ctx.alloc()
                                    .buffer()
                                    .writeBytes(
                                            (answer + "\n").getBytes(StandardCharsets.US_ASCII)))
                    .addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug(
                    "Probe connection {} failed: {}",
                    ctx.channel().remoteAddress(),
                    cause.toString());
            ctx.close();
        }
    }
}
