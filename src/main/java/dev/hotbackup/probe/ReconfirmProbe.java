package dev.hotbackup.probe;

import dev.hotbackup.link.Signer;
import dev.hotbackup.link.Tls;
import dev.hotbackup.routes.Headers;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup's side of the reconfirm: one probe to the silent host, answered or not within the
 * probe timeout. Asynchronous, so a thousand hosts falling silent at once are probed together
 * rather than one after another. Sets {@link Headers#PROBE_RESULT} to the {@link ProbeResult}.
 */
public final class ReconfirmProbe extends AsyncProcessorSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ReconfirmProbe.class);

    private final long timeoutMillis;
    private final Signer signer;
    private final Tls tls;
    private final String noAddress;
    private EventLoopGroup group;

    /**
     * @param tls TLS for probe connections, or {@code null}
     * @param noAddress why a host has no address to probe (heard through the database, never on a
     *     connection)
     */
    public ReconfirmProbe(long timeoutMillis, Signer signer, Tls tls, String noAddress) {
        this.timeoutMillis = timeoutMillis;
        this.signer = signer;
        this.tls = tls;
        this.noAddress = noAddress;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        String address = exchange.getIn().getHeader(Headers.PROBE_ADDRESS, String.class);
        Integer port = exchange.getIn().getHeader(Headers.PROBE_PORT, Integer.class);
        String host = exchange.getIn().getHeader(Headers.HOST, String.class);
        String config = exchange.getIn().getHeader(Headers.CONFIG, String.class);
        if (address == null || port == null || port == 0) {
            exchange.getIn()
                    .setHeader(
                            Headers.PROBE_RESULT,
                            ProbeResult.unreachable(
                                    address == null ? noAddress : "no probe port announced"));
            callback.done(true);
            return true;
        }
        probe(
                address,
                port,
                host,
                config,
                result -> {
                    exchange.getIn().setHeader(Headers.PROBE_RESULT, result);
                    callback.done(false);
                });
        return false;
    }

    /**
     * Probes {@code address:port} for (host, config); {@code done} gets the result exactly once.
     */
    public void probe(
            String address, int port, String host, String config, Consumer<ProbeResult> done) {
        String nonce = ProbeMessages.nonce();
        AtomicBoolean finished = new AtomicBoolean();
        Consumer<ProbeResult> once =
                result -> {
                    if (finished.compareAndSet(false, true)) {
                        LOG.debug("Probe {}:{} for {}/{}: {}", address, port, host, config, result);
                        done.accept(result);
                    }
                };
        Bootstrap bootstrap =
                new Bootstrap()
                        .group(group)
                        .channel(NioSocketChannel.class)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeoutMillis)
                        .handler(
                                new ChannelInitializer<SocketChannel>() {
                                    @Override
                                    protected void initChannel(SocketChannel ch) {
                                        if (tls != null) {
                                            ch.pipeline().addLast(tls.clientHandler(address, port));
                                        }
                                        ProbeMessages.addLineCodec(ch.pipeline());
                                        ch.pipeline()
                                                .addLast(
                                                        new AnswerReader(
                                                                host, config, nonce, once));
                                    }
                                });
        ChannelFuture connect = bootstrap.connect(address, port);
        ScheduledFuture<?> timer =
                group.schedule(
                        () -> {
                            once.accept(ProbeResult.timedOut(timeoutMillis));
                            connect.channel().close();
                        },
                        timeoutMillis,
                        TimeUnit.MILLISECONDS);
        connect.addListener(
                (ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        timer.cancel(false);
                        Throwable cause = f.cause();
                        if (cause instanceof ConnectTimeoutException) {
                            once.accept(ProbeResult.timedOut(timeoutMillis));
                        } else if (cause instanceof ConnectException) {
                            once.accept(ProbeResult.refused());
                        } else {
                            once.accept(
                                    ProbeResult.unreachable("unreachable: " + cause.getMessage()));
                        }
                        return;
                    }
                    String request = ProbeMessages.request(host, config, nonce) + "\n";
                    f.channel()
                            .writeAndFlush(
                                    f.channel()
                                            .alloc()
                                            .buffer()
                                            .writeBytes(
                                                    request.getBytes(StandardCharsets.US_ASCII)));
                    f.channel()
                            .closeFuture()
                            .addListener(
                                    c -> {
                                        timer.cancel(false);
                                        once.accept(ProbeResult.closed(""));
                                    });
                });
    }

    @Override
    protected void doStart() throws Exception {
        group = new NioEventLoopGroup(1, new DefaultThreadFactory("hotbackup-probe", true));
    }

    @Override
    protected void doStop() throws Exception {
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS)
                    .awaitUninterruptibly(3, TimeUnit.SECONDS);
            group = null;
        }
    }

    private final class AnswerReader extends SimpleChannelInboundHandler<String> {
        private final String host;
        private final String config;
        private final String nonce;
        private final Consumer<ProbeResult> done;

        AnswerReader(String host, String config, String nonce, Consumer<ProbeResult> done) {
            this.host = host;
            this.config = config;
            this.nonce = nonce;
            this.done = done;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            done.accept(
                    ProbeMessages.isValidAnswer(line, host, config, nonce, signer)
                            ? ProbeResult.answered()
                            : ProbeResult.invalid());
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.accept(ProbeResult.closed(String.valueOf(cause.getMessage())));
            ctx.close();
        }
    }
}
