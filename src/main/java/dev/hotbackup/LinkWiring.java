package dev.hotbackup;

import dev.hotbackup.config.HotBackupSettings;
import dev.hotbackup.config.InvalidConfigurationException;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.Signer;
import dev.hotbackup.link.Tls;
import dev.hotbackup.support.Causes;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;

/** The heartbeat link, shared by the emitter and the listener: signature, codec and TLS. */
final class LinkWiring {

    /** What the emitter and the listener are built on. */
    record Link(Signer signer, HeartbeatCodec codec, Tls tls) {}

    private LinkWiring() {}

    static Link wire(CamelContext camelContext, HotBackupSettings s) {
        Signer signer = Signer.of(s.secret);
        HeartbeatCodec codec = new HeartbeatCodec(signer);
        camelContext.getRegistry().bind("heartbeatCodec", codec);
        Tls tls = tls(camelContext, s);
        // the netty endpoints refer to it whether TLS is on or not; it is only used when on
        camelContext
                .getRegistry()
                .bind("hotbackupTls", tls == null ? new SSLContextParameters() : tls.parameters());
        return new Link(signer, codec, tls);
    }

    private static Tls tls(CamelContext camelContext, HotBackupSettings s) {
        if (!s.tls) {
            return null;
        }
        Tls tls =
                Tls.of(
                        s.tlsKeystore,
                        s.tlsKeystorePassword,
                        s.tlsTruststore,
                        s.tlsTruststorePassword,
                        s.tlsClientAuth,
                        s.tlsVerifyHostname,
                        s.tlsProtocols);
        try {
            tls.init(camelContext);
        } catch (Exception e) {
            throw new InvalidConfigurationException(
                    "hotbackup.tls.keystore / hotbackup.tls.truststore: cannot load "
                            + s.tlsKeystore
                            + " or "
                            + s.tlsTruststore
                            + " (PKCS12, with the passwords of hotbackup.tls.keystore-password and"
                            + " hotbackup.tls.truststore-password): "
                            + Causes.rootMessage(e),
                    e);
        }
        return tls;
    }
}
