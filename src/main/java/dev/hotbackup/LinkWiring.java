package dev.hotbackup;

import dev.hotbackup.config.HotBackupSettings;
import dev.hotbackup.config.InvalidConfigurationException;
import dev.hotbackup.config.Keys;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.Signer;
import dev.hotbackup.link.Tls;
import dev.hotbackup.link.jdbc.HeartbeatTable;
import dev.hotbackup.support.Causes;
import java.util.List;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.service.ServiceSupport;

/** The heartbeat link, shared by the emitter and the listener: signature, codec and TLS. */
final class LinkWiring {

    /**
     * What the emitter and the listener are built on; {@code table} is the heartbeat table of the
     * database link, {@code null} over TCP.
     */
    record Link(Signer signer, HeartbeatCodec codec, Tls tls, HeartbeatTable table) {}

    /** The heartbeat table's name in the registry: the emitter's endpoint refers to it. */
    static final String TABLE_BEAN = "hotbackupHeartbeatTable";

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
        return new Link(signer, codec, tls, table(camelContext, s));
    }

    /**
     * The database link's table, started here so that a database that refuses for good (not allowed
     * to create the table) stops the start with one line naming the key; the arbiter has already
     * checked the URL and the credentials it shares.
     */
    private static HeartbeatTable table(CamelContext camelContext, HotBackupSettings s) {
        if (!s.databaseLink() || !(s.emitterEnabled() || s.listenerEnabled())) {
            return null;
        }
        HeartbeatTable table =
                new HeartbeatTable(
                        s.jdbcUrl,
                        s.jdbcUsername,
                        s.jdbcPassword,
                        s.linkTable,
                        Math.max(250, s.linkHeartbeatInterval.toMillis()),
                        s.host,
                        s.config,
                        UUID.randomUUID().toString());
        try {
            table.open();
        } catch (RuntimeException e) {
            throw new InvalidConfigurationException(
                    List.of(Keys.LINK_JDBC_TABLE.name() + ": " + e.getMessage()));
        }
        try {
            // closed when Camel stops, after the routes (the emitter's CLOSE is written by then)
            camelContext.addService(
                    new ServiceSupport() {
                        @Override
                        protected void doStop() {
                            table.close();
                        }
                    });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        camelContext.getRegistry().bind(TABLE_BEAN, table);
        return table;
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
