package dev.hotbackup.link;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.component.netty.ChannelHandlerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Backup listener's Netty decoders, given to the {@code netty:} endpoint as {@code
 * decoders=#hotbackupLineDecoder,#hotbackupFrameGate}: the first cuts the stream into lines of
 * bounded length, the second lets through only printable-ASCII lines as Strings and turns oversized
 * lines and bad bytes into counted rejections instead of exceptions that close the connection.
 */
public final class FrameDecoders {

    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoders.class);

    private FrameDecoders() {}

    /** Creates one line decoder per connection (Netty decoders keep per-connection state). */
    public static ChannelHandlerFactory lineDecoder() {
        return new Factory() {
            @Override
            public ChannelHandler newChannelHandler() {
                return new LineBasedFrameDecoder(HeartbeatCodec.MAX_FRAME_LENGTH, true, true);
            }
        };
    }

    /** Creates one gate per connection, reporting to {@code rejections}. */
    public static ChannelHandlerFactory frameGate(Rejections rejections) {
        return new Factory() {
            @Override
            public ChannelHandler newChannelHandler() {
                return new Gate(rejections);
            }
        };
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

    /** Printable ASCII lines in, Strings out; everything else counted and dropped. */
    static final class Gate extends MessageToMessageDecoder<ByteBuf> {
        private final Rejections rejections;

        Gate(Rejections rejections) {
            this.rejections = rejections;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf line, List<Object> out) {
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
            out.add(line.toString(from, n, StandardCharsets.US_ASCII));
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

        static String source(ChannelHandlerContext ctx) {
            return String.valueOf(ctx.channel().remoteAddress());
        }
    }
}
