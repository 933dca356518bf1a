package dev.hotbackup.link;

import io.netty.handler.ssl.SslHandler;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SecureSocketProtocolsParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * TLS for the heartbeat link and the probe ({@code hotbackup.tls.*}): one set of key and trust
 * stores for both directions. The heartbeat endpoints take the {@link SSLContextParameters} (bound
 * as {@code hotbackupTls}); the probe's own Netty pipelines take the handlers made here.
 */
public final class Tls {

    private final SSLContextParameters parameters;
    private final boolean clientAuth;
    private final boolean verifyHostname;
    private SSLContext context;

    private Tls(SSLContextParameters parameters, boolean clientAuth, boolean verifyHostname) {
        this.parameters = parameters;
        this.clientAuth = clientAuth;
        this.verifyHostname = verifyHostname;
    }

    /**
     * @param keystore PKCS12 file with this host's key and certificate
     * @param truststore PKCS12 file with the certificates (or CA) of the peers
     * @param clientAuth whether the server side asks the client for its certificate
     * @param verifyHostname whether the client checks that the server's certificate names the host
     *     it connected to
     */
    private static KeyStoreParameters pkcs12(String file, String password) {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + file);
        store.setPassword(password);
        store.setType("PKCS12");
        return store;
    }

    public static Tls of(
            String keystore,
            String keystorePassword,
            String truststore,
            String truststorePassword,
            boolean clientAuth,
            boolean verifyHostname,
            List<String> protocols) {
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(pkcs12(keystore, keystorePassword));
        keyManagers.setKeyPassword(keystorePassword);
        TrustManagersParameters trustManagers = new TrustManagersParameters();
        trustManagers.setKeyStore(pkcs12(truststore, truststorePassword));
        SecureSocketProtocolsParameters allowed = new SecureSocketProtocolsParameters();
        allowed.setSecureSocketProtocol(protocols);
        SSLContextParameters p = new SSLContextParameters();
        p.setKeyManagers(keyManagers);
        p.setTrustManagers(trustManagers);
        p.setSecureSocketProtocols(allowed);
        return new Tls(p, clientAuth, verifyHostname);
    }

    /** Parameters for the netty endpoints. */
    public SSLContextParameters parameters() {
        return parameters;
    }

    /** Loads the stores now, so that a wrong path or password stops the start with its cause. */
    public synchronized void init(CamelContext camelContext) throws Exception {
        if (context == null) {
            parameters.setCamelContext(camelContext);
            context = parameters.createSSLContext(camelContext);
        }
    }

    /** A handler for the accepting side of a connection. */
    public SslHandler serverHandler() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setNeedClientAuth(clientAuth);
        return new SslHandler(engine);
    }

    /** A handler for a connection to {@code host:port}, checking the host name if configured. */
    public SslHandler clientHandler(String host, int port) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        if (verifyHostname) {
            SSLParameters p = engine.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(p);
        }
        return new SslHandler(engine);
    }

    /** The SSL context, once {@link #init} ran. */
    public SSLContext context() {
        return context;
    }

    public boolean clientAuth() {
        return clientAuth;
    }

    public boolean verifyHostname() {
        return verifyHostname;
    }
}
