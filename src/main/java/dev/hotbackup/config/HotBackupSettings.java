package dev.hotbackup.config;

import dev.hotbackup.arbiter.jdbc.JdbcArbiter;
import dev.hotbackup.config.Keys.ArbiterKind;
import dev.hotbackup.config.Keys.ClientAuth;
import dev.hotbackup.config.Keys.Dsl;
import dev.hotbackup.config.Keys.LinkKind;
import dev.hotbackup.config.Keys.TakeoverMode;
import dev.hotbackup.config.Keys.UnknownKeys;
import dev.hotbackup.group.GroupSpec;
import dev.hotbackup.group.Member;
import dev.hotbackup.link.Names;
import dev.hotbackup.mail.MailTemplate;
import dev.hotbackup.signal.SignalXml;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The pack's settings: every key of {@link Keys}, read once at start, checked, and given its
 * default. A bad value stops the start with one line per problem naming the key, the value and what
 * is expected ({@link InvalidConfigurationException}); keys that do nothing here are named in
 * {@link #warnings}. Secrets never appear in these messages nor in {@link #toString()}.
 */
public final class HotBackupSettings {

    public final String host;
    public final String config;

    /** The group this instance is a member of ({@code hotbackup.group.*}), or {@code null}. */
    public final GroupSpec group;

    public final boolean backup;
    public final List<HostPort> backupLocation;
    public final Duration heartbeatInterval;
    public final String secret;
    public final boolean allowUnsigned;
    public final Path stateDir;
    public final Dsl dsl;

    public final int probePort;
    public final String probeBindAddress;

    /** 0 when no listener runs on this instance. */
    public final int listenerPort;

    public final String listenerBindAddress;
    public final Duration threshold;
    public final Duration checkInterval;
    public final Duration probeTimeout;
    public final boolean probeOnDisconnect;
    public final Duration retention;
    public final SignalXml.Whitespace whitespace;
    public final boolean activityLog;
    public final String signalsTo;
    public final Path activityLogFile;

    public final List<String> allow;
    public final List<String> expect;
    public final int maxConnections;
    public final int maxConnectionsPerAddress;
    public final Duration idleTimeout;
    public final int maxBacklog;

    public final List<String> takeoverRoutes;
    public final boolean takeoverOnClose;
    public final Duration failbackDelay;
    public final TakeoverMode takeoverMode;

    /** Where PRE and POST failover notices go, or empty. */
    public final String notifyTo;

    /** Takeover routes of monitored hosts that have their own list, by {@code host/config}. */
    public final Map<String, List<String>> takeoverRoutesFor;

    public final ArbiterKind arbiter;

    /** How heartbeats travel; with {@code jdbc}, the table and its timing. */
    public final LinkKind link;

    public final String linkTable;
    public final Duration linkHeartbeatInterval;
    public final Duration linkCheckInterval;
    public final int linkRetryCount;

    /** {@code hotbackup.role=auto}: primary or standby as the heartbeat table decides at start. */
    public final Keys.RoleMode role;

    /** The primary's configuration copied to the standby (with {@code hotbackup.role=auto}). */
    public final Duration configBackupInterval;

    public final List<String> configBackupInclude;
    public final List<String> configBackupExclude;
    public final Path configBackupFolder;
    public final Duration lease;
    public final Duration renewInterval;
    public final Duration renewDeadline;
    public final boolean haltOnStuck;
    public final List<String> arbiterRoutes;
    public final boolean failbackKeep;
    public final String jdbcUrl;
    public final String jdbcUsername;
    public final String jdbcPassword;
    public final String jdbcTable;
    public final String zookeeperConnect;
    public final String zookeeperBasePath;
    public final Duration zookeeperSessionTimeout;
    public final String filePath;
    public final List<HostPort> gateway;
    public final Duration gatewayFenceAfter;
    public final Duration gatewayResumeAfter;
    public final Duration gatewayTimeout;

    public final boolean tls;
    public final String tlsKeystore;
    public final String tlsKeystorePassword;
    public final String tlsTruststore;
    public final String tlsTruststorePassword;
    public final boolean tlsClientAuth;
    public final boolean tlsVerifyHostname;
    public final List<String> tlsProtocols;

    public final String mailHost;
    public final int mailPort;
    public final String mailUsername;
    public final String mailPassword;
    public final String mailFrom;
    public final String mailTo;
    public final int mailRetries;
    public final Duration mailRetryDelay;
    public final Duration mailTimeout;
    public final Path mailDeadLetterFile;

    /** Mail recipients of monitored hosts that have their own, by {@code host/config}. */
    public final Map<String, String> mailToFor;

    /** Mail subject and body templates by signal state ({@code LIVE}, {@code DEAD}, ...). */
    public final Map<String, String> mailSubject;

    public final Map<String, String> mailBody;

    public final boolean httpEnabled;
    public final int httpPort;
    public final String httpBindAddress;
    public final String httpToken;
    public final int observePort;

    /** Keys that are set but do nothing here, and unknown keys when they only warn. */
    public final List<String> warnings;

    /**
     * The value of every key that is not set, as a properties file would write it: the declared
     * default or the one computed from other keys, so that a route can use the plain placeholder
     * {@code {{hotbackup.listener.check-interval}}}.
     */
    public final Map<String, String> defaults;

    private HotBackupSettings(Reader r) {
        host = r.get(Keys.HOST, localHostName());
        config = r.get(Keys.CONFIG);
        r.name(Keys.HOST, host);
        r.name(Keys.CONFIG, config);
        group = GroupKeys.read(host, r.configured.keySet(), r::raw, r::problem);
        Member me = group == null ? null : group.member(host);
        backup = r.get(Keys.BACKUP);
        if (me != null) {
            if (r.isSet(Keys.BACKUP_LOCATION)) {
                r.problem(
                        Keys.BACKUP_LOCATION,
                        "is set by group "
                                + group.name()
                                + ": a member heartbeats to every other member of"
                                + " hotbackup.group."
                                + group.name()
                                + ".members; remove it");
            }
            backupLocation = group.others(host).stream().map(Member::address).toList();
        } else {
            backupLocation = r.get(Keys.BACKUP_LOCATION);
        }
        heartbeatInterval = r.get(Keys.HEARTBEAT_INTERVAL);
        link = r.get(Keys.LINK);
        linkTable = r.get(Keys.LINK_JDBC_TABLE);
        linkHeartbeatInterval = r.get(Keys.LINK_JDBC_HEARTBEAT_INTERVAL);
        linkCheckInterval = r.get(Keys.LINK_JDBC_CHECK_INTERVAL);
        linkRetryCount = r.get(Keys.LINK_JDBC_RETRY_COUNT);
        role = r.get(Keys.ROLE);
        secret = r.get(Keys.SECRET);
        allowUnsigned = r.get(Keys.ALLOW_UNSIGNED);
        stateDir = Path.of(r.get(Keys.STATE_DIR));
        configBackupInterval = r.get(Keys.CONFIG_BACKUP_INTERVAL);
        configBackupInclude =
                r.get(Keys.CONFIG_BACKUP_INCLUDE, List.of("routes/", "application.properties"));
        configBackupExclude = r.get(Keys.CONFIG_BACKUP_EXCLUDE);
        configBackupFolder =
                Path.of(
                        r.get(
                                Keys.CONFIG_BACKUP_FOLDER,
                                stateDir.resolve("config-backup").toString()));
        dsl = r.get(Keys.DSL);

        probePort = r.get(Keys.PROBE_PORT);
        probeBindAddress = r.get(Keys.PROBE_BIND_ADDRESS);

        if (me != null) {
            listenerPort = me.address().port();
            if (r.isSet(Keys.LISTENER_PORT) && r.get(Keys.LISTENER_PORT) != listenerPort) {
                r.problem(
                        Keys.LISTENER_PORT,
                        "differs from "
                                + me
                                + " in hotbackup.group."
                                + group.name()
                                + ".members: the group sets this member's listener port; remove"
                                + " it");
            }
        } else {
            listenerPort = r.get(Keys.LISTENER_PORT);
        }
        listenerBindAddress = orAll(r.get(Keys.LISTENER_BIND_ADDRESS));
        // over the database link a host is DEAD after retry-count reads without a change
        Duration tcpThreshold = r.get(Keys.THRESHOLD);
        threshold =
                link == LinkKind.JDBC
                        ? linkCheckInterval.multipliedBy(linkRetryCount)
                        : tcpThreshold;
        // derived from a threshold that was refused, these would only repeat that problem
        checkInterval =
                r.get(
                        Keys.CHECK_INTERVAL,
                        clamp(
                                threshold.dividedBy(20),
                                Duration.ofMillis(10),
                                Duration.ofMillis(100)));
        probeTimeout =
                r.get(
                        Keys.PROBE_TIMEOUT,
                        clamp(
                                threshold.dividedBy(4),
                                Duration.ofMillis(10),
                                Duration.ofSeconds(1)));
        if (r.isValid(Keys.THRESHOLD)) {
            if (r.isSet(Keys.CHECK_INTERVAL) && checkInterval.compareTo(threshold) > 0) {
                r.problem(
                        Keys.CHECK_INTERVAL,
                        "'"
                                + Durations.format(checkInterval)
                                + "' is longer than hotbackup.listener.threshold ("
                                + Durations.format(threshold)
                                + ")");
            }
            if (r.isSet(Keys.PROBE_TIMEOUT) && probeTimeout.compareTo(threshold.dividedBy(2)) > 0) {
                r.problem(
                        Keys.PROBE_TIMEOUT,
                        "'"
                                + Durations.format(probeTimeout)
                                + "' is more than half of hotbackup.listener.threshold ("
                                + Durations.format(threshold)
                                + "): the probe must be decided before DEAD is due");
            }
        }
        probeOnDisconnect = r.get(Keys.PROBE_ON_DISCONNECT);
        retention = r.get(Keys.RETENTION);
        whitespace = r.get(Keys.WHITESPACE);
        activityLog = r.get(Keys.ACTIVITY_LOG);
        signalsTo = r.get(Keys.SIGNALS_TO);
        if (signalsTo.startsWith("seda:hotbackup-signals")) {
            r.problem(
                    Keys.SIGNALS_TO,
                    "is the pack's own signal queue: use another endpoint (seda:my-signals)");
        }
        activityLogFile = Path.of(r.get(Keys.ACTIVITY_LOG_FILE));
        allow = r.get(Keys.ALLOW);
        List<String> expected = new ArrayList<>(r.get(Keys.EXPECT));
        if (me != null) {
            // a member never heard from is DEAD after the threshold, so its work is taken over
            for (Member m : group.others(host)) {
                String k = m.host() + "/" + config;
                if (!expected.contains(k)) {
                    expected.add(k);
                }
            }
        }
        expect = List.copyOf(expected);
        maxConnections = r.get(Keys.MAX_CONNECTIONS);
        maxConnectionsPerAddress = r.get(Keys.MAX_CONNECTIONS_PER_ADDRESS);
        maxBacklog = r.get(Keys.MAX_BACKLOG);
        idleTimeout = r.get(Keys.IDLE_TIMEOUT);

        takeoverRoutes = r.get(Keys.TAKEOVER_ROUTES);
        takeoverRoutesFor = r.perHost(Keys.TAKEOVER_ROUTES_FOR);
        takeoverOnClose = r.get(Keys.TAKEOVER_ON_CLOSE);
        failbackDelay = r.get(Keys.FAILBACK_DELAY);
        takeoverMode = r.get(Keys.TAKEOVER_MODE);
        notifyTo = r.get(Keys.TAKEOVER_NOTIFY_TO);
        if (notifyTo.startsWith("seda:hotbackup-")) {
            r.problem(
                    Keys.TAKEOVER_NOTIFY_TO,
                    "is one of the pack's own queues: use another endpoint (seda:failover)");
        }

        arbiter = r.get(Keys.ARBITER);
        lease = r.get(Keys.ARBITER_LEASE);
        renewInterval = r.get(Keys.ARBITER_RENEW_INTERVAL, lease.dividedBy(5));
        renewDeadline = r.get(Keys.ARBITER_RENEW_DEADLINE, lease.multipliedBy(3).dividedBy(5));
        haltOnStuck = r.get(Keys.ARBITER_ON_STUCK) == Keys.OnStuck.HALT;
        arbiterRoutes = r.get(Keys.ARBITER_ROUTES);
        failbackKeep = r.get(Keys.ARBITER_FAILBACK) == Keys.Failback.KEEP;
        jdbcUrl = r.get(Keys.ARBITER_JDBC_URL);
        jdbcUsername = r.get(Keys.ARBITER_JDBC_USERNAME);
        jdbcPassword = r.get(Keys.ARBITER_JDBC_PASSWORD);
        jdbcTable = r.get(Keys.ARBITER_JDBC_TABLE);
        zookeeperConnect = r.get(Keys.ARBITER_ZOOKEEPER_CONNECT);
        zookeeperBasePath = r.get(Keys.ARBITER_ZOOKEEPER_BASE_PATH);
        zookeeperSessionTimeout = r.get(Keys.ARBITER_ZOOKEEPER_SESSION_TIMEOUT, lease);
        filePath = r.get(Keys.ARBITER_FILE_PATH);
        gateway = r.get(Keys.GATEWAY);
        gatewayFenceAfter = r.get(Keys.GATEWAY_FENCE_AFTER);
        gatewayResumeAfter = r.get(Keys.GATEWAY_RESUME_AFTER);
        gatewayTimeout = r.get(Keys.GATEWAY_TIMEOUT);
        arbitration(r);
        if (link == LinkKind.JDBC) {
            databaseLink(r);
        }
        if (role == Keys.RoleMode.AUTO) {
            roles(r);
        }

        tls = r.get(Keys.TLS_ENABLED);
        tlsKeystore = r.get(Keys.TLS_KEYSTORE);
        tlsKeystorePassword = r.get(Keys.TLS_KEYSTORE_PASSWORD);
        tlsTruststore = r.get(Keys.TLS_TRUSTSTORE);
        tlsTruststorePassword = r.get(Keys.TLS_TRUSTSTORE_PASSWORD);
        tlsClientAuth = r.get(Keys.TLS_CLIENT_AUTH) == ClientAuth.REQUIRE;
        tlsVerifyHostname = r.get(Keys.TLS_VERIFY_HOSTNAME);
        List<String> protocols = r.get(Keys.TLS_PROTOCOLS);
        tlsProtocols = protocols.isEmpty() ? List.of("TLSv1.3", "TLSv1.2") : protocols;
        if (tls && (tlsKeystore.isEmpty() || tlsTruststore.isEmpty())) {
            r.problem(
                    Keys.TLS_ENABLED,
                    "needs hotbackup.tls.keystore and hotbackup.tls.truststore (PKCS12 files)");
        }

        mailHost = r.get(Keys.MAIL_HOST);
        mailPort = r.get(Keys.MAIL_PORT);
        mailUsername = r.get(Keys.MAIL_USERNAME);
        mailPassword = r.get(Keys.MAIL_PASSWORD);
        mailFrom = r.get(Keys.MAIL_FROM, "hotbackup@" + host.replaceAll("[^A-Za-z0-9.-]", "-"));
        mailTo = r.get(Keys.MAIL_TO);
        mailToFor = r.perHost(Keys.MAIL_TO_FOR);
        mailRetries = r.get(Keys.MAIL_RETRIES);
        mailRetryDelay = r.get(Keys.MAIL_RETRY_DELAY);
        mailTimeout = r.get(Keys.MAIL_TIMEOUT);
        mailDeadLetterFile = Path.of(r.get(Keys.MAIL_DEAD_LETTER_FILE));
        mailSubject = r.templates(Keys.MAIL_SUBJECT, Keys.MAIL_SUBJECT_FOR, MailTemplate.SUBJECT);
        mailBody = r.templates(Keys.MAIL_BODY, Keys.MAIL_BODY_FOR, MailTemplate.BODY);

        httpEnabled = r.get(Keys.HTTP_ENABLED, listenerEnabled());
        httpPort = r.get(Keys.HTTP_PORT);
        httpBindAddress = orAll(r.get(Keys.HTTP_BIND_ADDRESS));
        httpToken = r.get(Keys.HTTP_TOKEN);
        observePort = r.get(Keys.OBSERVE_PORT);

        combinations(r);
        if (group != null) {
            grouped(r);
        }
        warnings = r.warnings(this);
        defaults = Map.copyOf(r.defaults);
        r.failIfAny();
    }

    /** The arbiter's keys together: each backend's own, timing, and what is guarded where. */
    private void arbitration(Reader r) {
        if (r.isValid(Keys.ARBITER_LEASE)
                && r.isValid(Keys.ARBITER_RENEW_INTERVAL)
                && r.isValid(Keys.ARBITER_RENEW_DEADLINE)) {
            Duration haltAt = lease.multipliedBy(9).dividedBy(10);
            if (renewDeadline.compareTo(haltAt) >= 0) {
                r.problem(
                        r.isSet(Keys.ARBITER_RENEW_DEADLINE)
                                ? Keys.ARBITER_RENEW_DEADLINE
                                : Keys.ARBITER_LEASE,
                        "the renew deadline ("
                                + format(renewDeadline)
                                + ") must end before nine tenths of the lease ("
                                + format(haltAt)
                                + "), so fenced routes have time to stop before the lease can be"
                                + " granted elsewhere");
            } else if (renewInterval.compareTo(renewDeadline) >= 0) {
                r.problem(
                        Keys.ARBITER_RENEW_INTERVAL,
                        "'"
                                + format(renewInterval)
                                + "' is not shorter than the renew deadline ("
                                + format(renewDeadline)
                                + "): a single late renewal would fence");
            }
        }
        switch (arbiter) {
            case JDBC -> {
                String p = JdbcArbiter.urlProblem(jdbcUrl);
                if (p != null) {
                    r.problem(Keys.ARBITER_JDBC_URL, p);
                }
                String t = JdbcArbiter.tableProblem(jdbcTable);
                if (t != null) {
                    r.problem(Keys.ARBITER_JDBC_TABLE, t);
                }
            }
            case ZOOKEEPER -> {
                if (zookeeperConnect.isEmpty()) {
                    r.problem(
                            Keys.ARBITER_ZOOKEEPER_CONNECT,
                            "is required with hotbackup.arbiter=zookeeper (zk1:2181,zk2:2181,zk3:2181)");
                }
                if (!zookeeperBasePath.startsWith("/") || zookeeperBasePath.endsWith("/")) {
                    r.problem(
                            Keys.ARBITER_ZOOKEEPER_BASE_PATH,
                            "'" + zookeeperBasePath + "' must start with / and not end with one");
                }
            }
            case FILE -> {
                if (filePath.isEmpty()) {
                    r.problem(
                            Keys.ARBITER_FILE_PATH,
                            "is required with hotbackup.arbiter=file: a folder on storage every"
                                    + " instance mounts");
                }
            }
            case NONE -> {
                // the gateway alone, or nothing
            }
        }
        if (!arbiterRoutes.isEmpty() && !guardsLeases()) {
            r.problem(
                    Keys.ARBITER_ROUTES,
                    "lists routes to run under this host's lease, but hotbackup.arbiter is none and"
                            + " hotbackup.gateway is empty, so there is no lease: set"
                            + " hotbackup.arbiter (jdbc, zookeeper or file) or hotbackup.gateway");
        }
    }

    /** The database link: what it needs, and the keys it replaces. */
    private void databaseLink(Reader r) {
        if (arbiter != ArbiterKind.JDBC) {
            r.problem(
                    Keys.LINK,
                    "jdbc needs hotbackup.arbiter=jdbc: the heartbeat table lives in the arbiter's"
                            + " database, and only its leases stop a backup that lost sight of the"
                            + " table from starting routes that a live host still runs");
        }
        if (group != null) {
            r.problem(
                    Keys.LINK,
                    "jdbc is for a live host and its backup; the members of group "
                            + group.name()
                            + " heartbeat to each other over TCP: remove hotbackup.link");
        }
        if (r.isSet(Keys.LISTENER_PORT)) {
            r.problem(
                    Keys.LISTENER_PORT,
                    "is not used with hotbackup.link=jdbc: the backup reads the heartbeat table"
                            + " instead of listening; remove it");
        }
        if (r.isSet(Keys.BACKUP_LOCATION)) {
            r.problem(
                    Keys.BACKUP_LOCATION,
                    "is not used with hotbackup.link=jdbc: the live host writes its heartbeat to"
                            + " the table instead; remove it");
        }
        String t = JdbcArbiter.tableProblem(linkTable);
        if (t != null) {
            r.problem(Keys.LINK_JDBC_TABLE, t);
        } else if (linkTable.equalsIgnoreCase(jdbcTable)
                || linkTable.equalsIgnoreCase(jdbcTable + "_note")) {
            r.problem(
                    Keys.LINK_JDBC_TABLE,
                    "'" + linkTable + "' is the arbiter's own table: name another one");
        }
        if (r.isSet(Keys.THRESHOLD)) {
            r.warn(
                    Keys.THRESHOLD.name()
                            + " is not used with hotbackup.link=jdbc: a host is DEAD after"
                            + " hotbackup.link.jdbc.retry-count reads without a change, every"
                            + " check-interval ("
                            + format(threshold)
                            + " here)");
        }
        if (r.isValid(Keys.LINK_JDBC_CHECK_INTERVAL)
                && r.isValid(Keys.LINK_JDBC_HEARTBEAT_INTERVAL)
                && linkCheckInterval.compareTo(linkHeartbeatInterval) <= 0) {
            r.warn(
                    Keys.LINK_JDBC_CHECK_INTERVAL.name()
                            + " ("
                            + format(linkCheckInterval)
                            + ") is not longer than hotbackup.link.jdbc.heartbeat-interval ("
                            + format(linkHeartbeatInterval)
                            + "): one late update would look like a missed one; the reference"
                            + " advises a longer check interval");
        }
    }

    /** Roles from the table: what they need, and the keys that would say otherwise. */
    private void roles(Reader r) {
        if (r.isValid(Keys.LINK) && link != LinkKind.JDBC) {
            r.problem(
                    Keys.ROLE,
                    "auto needs hotbackup.link=jdbc: the primary and the standby register in the"
                            + " heartbeat table");
        }
        if (takeoverRoutes.isEmpty()) {
            r.problem(
                    Keys.TAKEOVER_ROUTES,
                    "is empty: with hotbackup.role=auto list the pair's routes here, on both"
                            + " hosts; the primary runs them and the standby takes them over");
        }
        if (!arbiterRoutes.isEmpty()) {
            r.problem(
                    Keys.ARBITER_ROUTES,
                    "is not used with hotbackup.role=auto: the pair's routes are"
                            + " hotbackup.takeover.routes on both hosts, run by whichever is the"
                            + " primary; remove it");
        }
        if (!takeoverRoutesFor.isEmpty()) {
            r.problem(
                    Keys.TAKEOVER_ROUTES_FOR.prefix()
                            + takeoverRoutesFor.keySet().iterator().next(),
                    "is not used with hotbackup.role=auto: the pair has one list,"
                            + " hotbackup.takeover.routes; remove it");
        }
        for (String path : configBackupInclude) {
            String why = relativePathProblem(path);
            if (why != null) {
                r.problem(Keys.CONFIG_BACKUP_INCLUDE, "'" + path + "' " + why);
            }
        }
        for (String path : configBackupExclude) {
            String why = relativePathProblem(path);
            if (why != null) {
                r.problem(Keys.CONFIG_BACKUP_EXCLUDE, "'" + path + "' " + why);
            }
        }
    }

    /** Why a path of the configuration backup cannot be used, or {@code null}. */
    private static String relativePathProblem(String path) {
        Path p;
        try {
            p = Path.of(path);
        } catch (RuntimeException e) {
            return "is not a path";
        }
        if (p.isAbsolute() || p.normalize().startsWith("..")) {
            return "is not inside the working directory: write it relative to it (routes/)";
        }
        return null;
    }

    /** What a group member cannot also be. */
    private void grouped(Reader r) {
        String g = "hotbackup.group." + group.name();
        if (arbiter == ArbiterKind.NONE) {
            r.problem(
                    Keys.ARBITER,
                    "is none, but group "
                            + group.name()
                            + " needs an arbiter: each member's work and the master role are"
                            + " leases; set hotbackup.arbiter to jdbc, zookeeper or file");
        }
        if (backup) {
            r.problem(
                    Keys.BACKUP,
                    "full-backup mode (-b) does not apply to a member of group "
                            + group.name()
                            + ": the group decides who runs what ("
                            + g
                            + ".mode)");
        }
        if (!arbiterRoutes.isEmpty()) {
            r.problem(
                    Keys.ARBITER_ROUTES,
                    "a member's own routes are "
                            + g
                            + ".routes."
                            + host
                            + " (they run under its lease); remove hotbackup.arbiter.routes");
        }
        if (!takeoverRoutes.isEmpty() || !takeoverRoutesFor.isEmpty()) {
            r.problem(
                    takeoverRoutes.isEmpty()
                            ? Keys.TAKEOVER_ROUTES_FOR.prefix()
                                    + takeoverRoutesFor.keySet().iterator().next()
                            : Keys.TAKEOVER_ROUTES.name(),
                    "in group "
                            + group.name()
                            + " a dead member's work moves by the processing map ("
                            + g
                            + ".routes.<member>), not by takeover routes; remove it");
        }
    }

    /** Whether leases are kept here: an arbiter, or a gateway guarding on its own. */
    public boolean guardsLeases() {
        return arbiter != ArbiterKind.NONE || !gateway.isEmpty();
    }

    /** Values that are fine alone but together cannot work, or leave a backup that does nothing. */
    private void combinations(Reader r) {
        if (httpEnabled && observePort == httpPort) {
            r.problem(
                    Keys.OBSERVE_PORT,
                    "must differ from hotbackup.http.port (Camel 4.18.0 ignores /observe on a"
                            + " shared port)");
        }
        if (!httpToken.isEmpty() && httpToken.length() < 16) {
            r.problem(Keys.HTTP_TOKEN, "is shorter than 16 characters: too easy to guess");
        }
        if (!secret.isEmpty() && secret.length() < Keys.MIN_SECRET) {
            r.problem(
                    Keys.SECRET,
                    "is "
                            + secret.length()
                            + " characters long; use at least "
                            + Keys.MIN_SECRET
                            + " (for example the output of: openssl rand -base64 24)");
        }
        if (mailEnabled() && mailTo.isEmpty()) {
            r.problem(Keys.MAIL_TO, "is required when hotbackup.mail.host is set");
        }
        if (!mailEnabled() && (!mailTo.isEmpty() || !mailToFor.isEmpty())) {
            r.problem(
                    Keys.MAIL_HOST,
                    "is empty, so no mail would be sent to "
                            + (mailTo.isEmpty() ? String.join(", ", mailToFor.values()) : mailTo)
                            + ": set the SMTP server in hotbackup.mail.host");
        }
        boolean anyRoutes = !takeoverRoutes.isEmpty() || !takeoverRoutesFor.isEmpty();
        // a refused hotbackup.link says it all: what runs here depends on it
        boolean linkKnown = r.isValid(Keys.LINK);
        if (linkKnown && !listenerEnabled()) {
            if (backup) {
                r.problem(
                        Keys.BACKUP,
                        "full-backup mode (-b) needs hotbackup.listener.port to hear the live"
                                + " host");
            } else if (anyRoutes) {
                r.problem(
                        takeoverRoutes.isEmpty()
                                ? Keys.TAKEOVER_ROUTES_FOR.prefix()
                                        + takeoverRoutesFor.keySet().iterator().next()
                                : Keys.TAKEOVER_ROUTES.name(),
                        "lists takeover routes, but no Backup listener runs here"
                                + " (hotbackup.listener.port is empty), so nothing would ever"
                                + " start them: set hotbackup.listener.port");
            }
        } else if (linkKnown && !anyRoutes && signalsTo.isEmpty() && group == null) {
            if (backup) {
                r.problem(
                        Keys.TAKEOVER_ROUTES,
                        "is empty: a full backup (-b) would take over nothing when the live host"
                                + " dies; list the live host's route ids");
            } else if (!mailEnabled()) {
                r.problem(
                        Keys.TAKEOVER_ROUTES,
                        "is empty, and neither hotbackup.listener.signals-to nor"
                                + " hotbackup.mail.host is set: this listener would see a host"
                                + " die and do nothing about it; list the route ids to take"
                                + " over");
            } else {
                r.warn(
                        Keys.TAKEOVER_ROUTES.name()
                                + " is empty: this listener only mails when a host dies; nothing"
                                + " is taken over");
            }
        }
        boolean groupKeys =
                r.configured.keySet().stream().anyMatch(n -> n.startsWith("hotbackup.group."));
        if (linkKnown
                && arbiter != ArbiterKind.NONE
                && !listenerEnabled()
                && arbiterRoutes.isEmpty()
                && !groupKeys) {
            r.problem(
                    Keys.ARBITER_ROUTES,
                    "is empty and no Backup listener runs here, so hotbackup.arbiter="
                            + Key.lower(arbiter)
                            + " guards nothing on this instance: list this host's own routes that"
                            + " must never run on two hosts at once");
        }
        if (!gateway.isEmpty()
                && arbiter == ArbiterKind.NONE
                && listenerEnabled()
                && gatewayFenceAfter.compareTo(threshold) >= 0) {
            r.problem(
                    Keys.GATEWAY_FENCE_AFTER,
                    "'"
                            + format(gatewayFenceAfter)
                            + "' is not shorter than hotbackup.listener.threshold ("
                            + format(threshold)
                            + "): with no arbiter, a live host cut off must stop before its backup"
                            + " declares it DEAD");
        }
        if (listenerPort != 0 && probePort != 0 && listenerPort == probePort) {
            r.problem(Keys.PROBE_PORT, "must differ from hotbackup.listener.port");
        }
        // over the database link its credentials authenticate; the TCP keys are refused then
        if (secret.isEmpty() && !allowUnsigned && !databaseLink()) {
            if (listenerPort != 0 && !isLoopback(listenerBindAddress)) {
                r.problem(
                        Keys.SECRET,
                        "is not set, and the Backup listener on "
                                + listenerBindAddress
                                + " would obey anyone who reaches it: set the same"
                                + " hotbackup.secret on both hosts, or hotbackup.allow-unsigned=true"
                                + " on a network you trust");
            }
            if (!backupLocation.stream().allMatch(b -> isLoopback(b.host()))) {
                r.problem(
                        Keys.SECRET,
                        "is not set, and heartbeats to "
                                + backupLocation
                                + " would be unauthenticated: set the same hotbackup.secret on"
                                + " both hosts, or hotbackup.allow-unsigned=true on a network you"
                                + " trust");
            }
        }
    }

    /**
     * Reads and checks the settings.
     *
     * @param lookup resolves a key to its configured value, or {@code null} when not set
     * @throws InvalidConfigurationException listing every bad key
     */
    public static HotBackupSettings load(Function<String, String> lookup) {
        return load(lookup, Map.of());
    }

    /**
     * Reads and checks the settings; {@code configured} names every key that is set and where
     * (file, {@code -D}, environment variable), to find the keys of a family ({@code
     * hotbackup.takeover.routes.<host>/<config>}), the keys the pack does not know, and the keys
     * that do nothing here.
     *
     * @param configured every key set by the user, with where it is set; environment variables by
     *     their own name ({@code HOTBACKUP_LISTENER_PORT})
     */
    public static HotBackupSettings load(
            Function<String, String> lookup, Map<String, String> configured) {
        return new HotBackupSettings(new Reader(lookup, configured));
    }

    /** Every route id any monitored host is taken over with. */
    public Set<String> allTakeoverRoutes() {
        Set<String> all = new LinkedHashSet<>(takeoverRoutes);
        takeoverRoutesFor.values().forEach(all::addAll);
        return all;
    }

    /**
     * Whether this instance runs a Backup listener: on a port, or over the database link where it
     * has something to do when a host dies (takeover routes, full backup, signals for the user's
     * routes, hosts it expects).
     */
    public boolean listenerEnabled() {
        return listenerPort != 0
                || (databaseLink()
                        && (backup
                                || !takeoverRoutes.isEmpty()
                                || !takeoverRoutesFor.isEmpty()
                                || !signalsTo.isEmpty()
                                || !expect.isEmpty()));
    }

    /**
     * Whether this instance emits heartbeats (possibly only after a takeover, in backup mode): to
     * its backups, or over the database link where it runs routes of its own under its lease or is
     * a full backup.
     */
    public boolean emitterEnabled() {
        return !backupLocation.isEmpty()
                || (databaseLink() && (backup || roleAuto() || !arbiterRoutes.isEmpty()));
    }

    /**
     * Whether the heartbeat table decides at start whether this instance is the primary or the
     * standby ({@code hotbackup.role=auto}).
     */
    public boolean roleAuto() {
        return role == Keys.RoleMode.AUTO && databaseLink();
    }

    /** Whether this is a full backup (-b) in the sense of the fixed roles. */
    public boolean fullBackup() {
        return backup && !roleAuto();
    }

    /** Whether heartbeats go through the heartbeat table ({@code hotbackup.link=jdbc}). */
    public boolean databaseLink() {
        return link == LinkKind.JDBC;
    }

    /** Time between heartbeats on the link in use. */
    public Duration effectiveHeartbeatInterval() {
        return databaseLink() ? linkHeartbeatInterval : heartbeatInterval;
    }

    /** Whether signals are mailed. */
    public boolean mailEnabled() {
        return !mailHost.isEmpty();
    }

    /** Whether the part of the pack that a key configures runs here. */
    boolean runs(Key.Feature feature) {
        return switch (feature) {
            case ALWAYS -> true;
            case EMITTER -> emitterEnabled();
            case LISTENER -> listenerEnabled();
            case MAIL -> mailEnabled();
            case TLS -> tls;
            case HTTP -> httpEnabled;
            case ARBITER -> guardsLeases();
            case JDBC -> arbiter == ArbiterKind.JDBC;
            case ZOOKEEPER -> arbiter == ArbiterKind.ZOOKEEPER;
            case FILE -> arbiter == ArbiterKind.FILE;
            case GATEWAY -> !gateway.isEmpty();
            case DATABASE_LINK -> databaseLink();
            case ROLES -> roleAuto();
        };
    }

    /** What this instance does, in one line for the start-up log: only what applies to it. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add("host=" + host);
        parts.add("config=" + config);
        parts.add(
                "mode="
                        + (roleAuto()
                                ? "roles from the table" + (backup ? " (standby by -b)" : "")
                                : backup ? "full backup" : "distributed"));
        if (group != null) {
            parts.add(
                    "group="
                            + group.name()
                            + " ("
                            + Key.lower(group.mode())
                            + ", members "
                            + group.hosts()
                            + ", preference "
                            + group.preference()
                            + (group.manual() ? ", manual takeover" : "")
                            + ")");
        }
        if (emitterEnabled()) {
            parts.add(
                    "heartbeat to "
                            + (databaseLink() ? "table " + linkTable : backupLocation)
                            + " every "
                            + format(effectiveHeartbeatInterval()));
        }
        if (listenerEnabled()) {
            parts.add(
                    (databaseLink()
                                    ? "listener=table "
                                            + linkTable
                                            + " read every "
                                            + format(linkCheckInterval)
                                    : "listener=" + listenerBindAddress + ":" + listenerPort)
                            + ", threshold="
                            + format(threshold));
            if (group == null) {
                parts.add("takeover.routes=" + takeoverRoutes);
                if (!takeoverRoutesFor.isEmpty()) {
                    parts.add("takeover.routes per host=" + takeoverRoutesFor);
                }
                parts.add("takeover.mode=" + Key.lower(takeoverMode));
            }
            if (!allow.isEmpty()) {
                parts.add("allow=" + allow);
            }
            if (!expect.isEmpty()) {
                parts.add("expect=" + expect);
            }
            if (!signalsTo.isEmpty()) {
                parts.add("signals-to=" + signalsTo);
            }
        } else {
            parts.add("listener=off");
        }
        if (guardsLeases()) {
            parts.add(
                    "arbiter="
                            + Key.lower(arbiter)
                            + (arbiter == ArbiterKind.NONE ? "" : " (lease " + format(lease) + ")")
                            + (arbiterRoutes.isEmpty() ? "" : ", arbiter.routes=" + arbiterRoutes)
                            + (gateway.isEmpty() ? "" : ", gateway=" + gateway));
        }
        parts.add("secret=" + (secret.isEmpty() ? "not set" : "set"));
        parts.add("tls=" + (tls ? "on" + (tlsClientAuth ? " (mutual)" : "") : "off"));
        parts.add(
                "http="
                        + (httpEnabled
                                ? httpBindAddress
                                        + ":"
                                        + httpPort
                                        + (httpToken.isEmpty() ? " (operator actions off)" : "")
                                : "off"));
        parts.add("mail=" + (mailEnabled() ? mailHost + ":" + mailPort : "off"));
        parts.add("pack routes=" + Key.lower(dsl) + " (from the jar)");
        return String.join(", ", parts);
    }

    private static String format(Duration d) {
        return Durations.format(d);
    }

    /** A bind address; empty means every interface. */
    private static String orAll(String address) {
        return address.isEmpty() ? "0.0.0.0" : address;
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }

    /** Whether connections to or from {@code host} stay on this machine. */
    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (Exception e) {
            return false;
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    /** Reads keys and collects every problem before failing. */
    private static final class Reader {
        private final Function<String, String> lookup;
        private final Map<String, String> configured;
        private final List<String> problems = new ArrayList<>();
        private final Set<String> refused = new LinkedHashSet<>();
        private final List<String> warned = new ArrayList<>();
        private final Map<String, String> defaults = new TreeMap<>();

        Reader(Function<String, String> lookup, Map<String, String> configured) {
            this.lookup = lookup;
            this.configured = configured;
        }

        private String raw(String name) {
            String v = lookup.apply(name);
            return v == null || v.isBlank() ? null : v.trim();
        }

        /** The key's value, or its declared default. */
        <T> T get(Key<T> key) {
            return get(key, key.defaultValue());
        }

        /** The key's value, or {@code otherwise} when it is not set or is refused. */
        <T> T get(Key<T> key, T otherwise) {
            String v = raw(key.name());
            if (v == null) {
                if (otherwise != null && !key.isPattern()) {
                    defaults.put(key.name(), written(otherwise));
                }
                return otherwise;
            }
            try {
                return key.parse(v);
            } catch (IllegalArgumentException e) {
                // the message quotes the value: never a secret's
                problem(key, key.isSecret() ? "is not a valid value" : e.getMessage());
                return otherwise;
            }
        }

        /** Whether the user set this key to a value (for a family: any key of it). */
        boolean isSet(Key<?> key) {
            if (key.isPattern()) {
                return configured.keySet().stream()
                        .anyMatch(n -> n.startsWith(key.prefix()) && raw(n) != null);
            }
            return (configured.containsKey(key.name())
                            || configured.containsKey(key.environmentName()))
                    && raw(key.name()) != null;
        }

        /** Whether the key's value was accepted (or it is not set). */
        boolean isValid(Key<?> key) {
            return !refused.contains(key.name());
        }

        /** The keys of a {@code <host>/<config>} family, by {@code host/config}. */
        <T> Map<String, T> perHost(Key<T> family) {
            Map<String, T> out = new TreeMap<>();
            for (String name : configured.keySet()) {
                if (!name.startsWith(family.prefix())) {
                    continue;
                }
                String suffix = name.substring(family.prefix().length());
                int slash = suffix.lastIndexOf('/');
                if (slash <= 0 || slash == suffix.length() - 1) {
                    problem(
                            name,
                            "must end in <host>/<config>, for example "
                                    + family.prefix()
                                    + (suffix.isEmpty() || suffix.startsWith("/")
                                            ? "serverA"
                                            : suffix.replaceAll("/$", ""))
                                    + "/base");
                    continue;
                }
                String v = raw(name);
                try {
                    out.put(suffix, family.parse(v == null ? "" : v));
                } catch (IllegalArgumentException e) {
                    problem(name, e.getMessage());
                }
            }
            return out;
        }

        /**
         * A mail template per state: the state's own key, else the common one, else the default.
         */
        Map<String, String> templates(Key<String> common, Key<String> perState, String def) {
            String all = get(common, def);
            for (String name : configured.keySet()) {
                if (name.startsWith(perState.prefix())) {
                    String state = name.substring(perState.prefix().length());
                    if (!List.of("live", "dead", "close").contains(state)) {
                        problem(
                                name,
                                "'"
                                        + state
                                        + "' is not a state: write "
                                        + perState.prefix()
                                        + "live, .dead or .close");
                    }
                }
            }
            Map<String, String> out = new TreeMap<>();
            check(common.name(), all);
            for (String state : List.of("LIVE", "DEAD", "CLOSE")) {
                String name = perState.prefix() + state.toLowerCase(Locale.ROOT);
                String v = raw(name);
                String t = (v == null ? all : v).replace("\\n", "\n");
                if (v != null) {
                    check(name, t);
                }
                out.put(state, t);
            }
            return out;
        }

        private void check(String name, String template) {
            String problem = MailTemplate.problem(template);
            if (problem != null) {
                problem(name, problem);
            }
        }

        void name(Key<String> key, String value) {
            String problem = Names.problem(value);
            if (problem != null) {
                problem(key, problem);
            }
        }

        void problem(Key<?> key, String what) {
            refused.add(key.name());
            problem(key.name(), what);
        }

        void problem(String key, String what) {
            problems.add(key + ": " + what);
        }

        /** Keys set for a part of the pack that does not run here, and unknown keys. */
        List<String> warnings(HotBackupSettings s) {
            List<String> out = new ArrayList<>(warned);
            for (Key<?> key : Keys.ALL) {
                if (isSet(key) && !s.runs(key.feature())) {
                    out.add(
                            (key.isPattern() ? key.prefix() + "..." : key.name())
                                    + " has no effect: "
                                    + key.feature().whenOff);
                }
            }
            List<String> unknownKeys = UnknownKeyCheck.check(configured.keySet());
            boolean warnOnly = get(Keys.UNKNOWN_KEYS) == UnknownKeys.WARN;
            for (String u : unknownKeys) {
                if (warnOnly) {
                    out.add(u + " (hotbackup.unknown-keys=warn)");
                } else {
                    problems.add(u + " (or set hotbackup.unknown-keys=warn to start anyway)");
                }
            }
            return List.copyOf(out);
        }

        /** A value as a properties file writes it. */
        private static String written(Object value) {
            if (value instanceof Duration d) {
                return Durations.format(d);
            }
            if (value instanceof Enum<?> e) {
                return Key.lower(e);
            }
            if (value instanceof List<?> list) {
                return String.join(",", list.stream().map(String::valueOf).toList());
            }
            return String.valueOf(value);
        }

        void warn(String warning) {
            warned.add(warning);
        }

        void failIfAny() {
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
        }
    }
}
