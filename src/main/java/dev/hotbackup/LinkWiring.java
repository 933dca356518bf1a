package dev.hotbackup;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.config.HotBackupSettings;
import dev.hotbackup.config.InvalidConfigurationException;
import dev.hotbackup.config.Keys;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.Signer;
import dev.hotbackup.link.Tls;
import dev.hotbackup.link.jdbc.ConfigBackup;
import dev.hotbackup.link.jdbc.HeartbeatTable;
import dev.hotbackup.link.jdbc.PairRole;
import dev.hotbackup.mail.EventMail;
import dev.hotbackup.support.Causes;
import dev.hotbackup.support.Startup;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The heartbeat link, shared by the emitter and the listener: signature, codec and TLS. */
final class LinkWiring {

    private static final Logger LOG = LoggerFactory.getLogger(LinkWiring.class);

    /**
     * What the emitter and the listener are built on; {@code table} is the heartbeat table of the
     * database link, {@code null} over TCP.
     */
    record Link(Signer signer, HeartbeatCodec codec, Tls tls, HeartbeatTable table) {}

    /** The heartbeat table's name in the registry: the emitter's endpoint refers to it. */
    static final String TABLE_BEAN = "hotbackupHeartbeatTable";

    /** The configuration backup's name in the registry, for the status. */
    static final String CONFIG_BACKUP_BEAN = "hotbackupConfigBackup";

    private LinkWiring() {}

    static Link wire(CamelContext camelContext, HotBackupSettings s, ActivityLog activity) {
        Signer signer = Signer.of(s.secret);
        HeartbeatCodec codec = new HeartbeatCodec(signer);
        camelContext.getRegistry().bind("heartbeatCodec", codec);
        Tls tls = tls(camelContext, s);
        // the netty endpoints refer to it whether TLS is on or not; it is only used when on
        camelContext
                .getRegistry()
                .bind("hotbackupTls", tls == null ? new SSLContextParameters() : tls.parameters());
        return new Link(signer, codec, tls, table(camelContext, s, activity));
    }

    /**
     * The database link's table, started here so that a database that refuses for good (not allowed
     * to create the table) stops the start with one line naming the key; the arbiter has already
     * checked the URL and the credentials it shares.
     */
    private static HeartbeatTable table(
            CamelContext camelContext, HotBackupSettings s, ActivityLog activity) {
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
        table.threshold(s.threshold.toMillis(), s.linkRetryCount);
        if (s.roleAuto()) {
            table.withConfigTable();
        }
        table.eventsTo((state, detail) -> activity.record("pair", s.host, s.config, state, detail));
        try {
            table.open();
        } catch (RuntimeException e) {
            throw new InvalidConfigurationException(
                    List.of(Keys.LINK_JDBC_TABLE.name() + ": " + e.getMessage()));
        }
        if (s.roleAuto()) {
            register(camelContext, s, activity, table);
            configBackup(camelContext, s, activity, table);
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

    /**
     * Registers this instance as the primary or the standby of its pair, before anything else
     * starts: what it runs depends on it. No room (a primary and a standby are live) stops the
     * start with one line naming them; so does finding later, at run time, that the room was given
     * to another standby.
     */
    private static void register(
            CamelContext camelContext,
            HotBackupSettings s,
            ActivityLog activity,
            HeartbeatTable table) {
        PairRole pair;
        try {
            pair = table.register(s.backup, s.linkCheckInterval.toMillis());
        } catch (HeartbeatTable.NoRoom e) {
            table.close();
            throw new InvalidConfigurationException(List.of(e.getMessage()));
        }
        String registered = "registered as the " + pair + (s.backup ? " (-b)" : "");
        try {
            // the activity log is written once Camel has started
            Startup.whenFullyStarted(
                    camelContext,
                    () ->
                            activity.record(
                                    "pair",
                                    s.host,
                                    s.config,
                                    pair.registeredAs().name(),
                                    registered));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        pair.onChange((role, why) -> activity.record("pair", s.host, s.config, role.name(), why));
        table.whenRefused(
                why -> {
                    LOG.error("No room in the pair any more, stopping: {}", why);
                    activity.record("pair", s.host, s.config, "REFUSED", why);
                    // started again it would be refused: not a failure a restart cures
                    HotBackupMain.exitAfterStop(InvalidConfigurationException.EXIT_CODE);
                    Thread stop =
                            new Thread(
                                    () -> {
                                        try {
                                            camelContext.stop();
                                        } catch (RuntimeException e) {
                                            LOG.warn("Cannot stop: {}", e.getMessage());
                                        }
                                    },
                                    "hotbackup-refused-stop");
                    stop.setDaemon(true);
                    stop.start();
                });
    }

    /** The configuration backup between the two, every {@code hotbackup.config-backup.interval}. */
    private static void configBackup(
            CamelContext camelContext,
            HotBackupSettings s,
            ActivityLog activity,
            HeartbeatTable table) {
        ConfigBackup backup =
                new ConfigBackup(
                        table,
                        s.host,
                        s.config,
                        Path.of("").toAbsolutePath(),
                        s.configBackupInclude,
                        s.configBackupExclude,
                        s.configBackupFolder);
        EventMail mail = s.mailEnabled() ? new EventMail(camelContext) : null;
        backup.eventsTo(
                (state, detail) -> {
                    activity.record("config", s.host, s.config, state, detail);
                    if (mail != null && state.equals("DRIFT")) {
                        mail.send(
                                s.host,
                                s.config,
                                state,
                                detail,
                                "configuration backup",
                                List.of(detail));
                    }
                });
        long every = s.configBackupInterval.toMillis();
        try {
            camelContext.addService(
                    new ServiceSupport() {
                        private ScheduledExecutorService runner;

                        @Override
                        protected void doStart() {
                            runner =
                                    camelContext
                                            .getExecutorServiceManager()
                                            .newSingleThreadScheduledExecutor(
                                                    this, "hotbackup-config-backup");
                            runner.scheduleWithFixedDelay(
                                    backup::run, 0, every, TimeUnit.MILLISECONDS);
                        }

                        @Override
                        protected void doStop() {
                            if (runner != null) {
                                camelContext.getExecutorServiceManager().shutdownNow(runner);
                            }
                        }
                    });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        camelContext.getRegistry().bind(CONFIG_BACKUP_BEAN, backup);
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
