package dev.hotbackup.link;

import io.netty.channel.Channel;
import org.apache.camel.component.netty.ClientInitializerFactory;
import org.apache.camel.component.netty.DefaultClientInitializerFactory;
import org.apache.camel.component.netty.NettyProducer;

/**
 * The heartbeat emitter's Netty pipeline with TLS, given to its endpoints as {@code
 * clientInitializerFactory=#hotbackupTlsClient}. Camel's own client TLS creates the SSL engine
 * without the peer's host name, so its host name verification cannot succeed; this one passes host
 * and port to the engine and otherwise builds the same pipeline as Camel.
 */
public final class TlsClientInitializer extends ClientInitializerFactory {

    private final Tls tls;

    public TlsClientInitializer(Tls tls) {
        this.tls = tls;
    }

    @Override
    public ClientInitializerFactory createPipelineFactory(NettyProducer producer) {
        return new Bound(producer, tls);
    }

    @Override
    protected void initChannel(Channel ch) {
        throw new IllegalStateException("used only through createPipelineFactory");
    }

    /** One producer's pipeline: Camel's, behind a TLS handler for the producer's host. */
    private static final class Bound extends DefaultClientInitializerFactory {
        private final NettyProducer producer;
        private final Tls tls;

        Bound(NettyProducer producer, Tls tls) {
            super(producer);
            this.producer = producer;
            this.tls = tls;
        }

        @Override
        protected void initChannel(Channel ch) throws Exception {
            super.initChannel(ch);
            ch.pipeline()
                    .addFirst(
                            "ssl",
                            tls.clientHandler(
                                    producer.getConfiguration().getHost(),
                                    producer.getConfiguration().getPort()));
        }
    }
}
