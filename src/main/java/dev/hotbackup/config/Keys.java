package dev.hotbackup.config;

import dev.hotbackup.config.Key.Feature;
import dev.hotbackup.config.Key.Section;
import dev.hotbackup.group.GroupMode;
import dev.hotbackup.group.Member;
import dev.hotbackup.signal.SignalXml;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every key of the pack, declared once, in the order the documentation lists them: name, how the
 * value is read, default, and what it means (with the name of the same setting in the reference
 * documents, in brackets). {@code application.properties} and {@code docs/configuration.md} are
 * generated from these declarations ({@link ConfigDocs}); a test fails when they differ.
 */
public final class Keys {

    private static final List<Key<?>> DECLARED = new ArrayList<>();

    /** Every key, in documentation order. */
    public static final List<Key<?>> ALL = Collections.unmodifiableList(DECLARED);

    /** Which DSL the pack's own routes are loaded from. */
    public enum Dsl {
        YAML,
        XML
    }

    /** Whether DEAD starts the takeover routes by itself, or waits for an operator. */
    public enum TakeoverMode {
        AUTO,
        MANUAL
    }

    /** Whether the TLS server asks the connecting side for a certificate. */
    public enum ClientAuth {
        NONE,
        REQUIRE
    }

    /** Where leases are held. */
    public enum ArbiterKind implements Key.Aliased {
        NONE(),
        JDBC("postgres", "postgresql", "pg", "h2", "database", "db", "sql"),
        ZOOKEEPER("zk", "curator"),
        FILE("lock", "lockfile", "lock-file", "nfs", "shared");

        private final List<String> aliases;

        ArbiterKind(String... aliases) {
            this.aliases = List.of(aliases);
        }

        @Override
        public List<String> aliases() {
            return aliases;
        }
    }

    /** How heartbeats travel from a live host to its backup. */
    public enum LinkKind implements Key.Aliased {
        TCP("netty", "socket", "network"),
        JDBC("database", "db", "sql", "table", "postgres", "postgresql", "h2");

        private final List<String> aliases;

        LinkKind(String... aliases) {
            this.aliases = List.of(aliases);
        }

        @Override
        public List<String> aliases() {
            return aliases;
        }
    }

    /** Who decides whether this instance is the primary or the standby. */
    public enum RoleMode implements Key.Aliased {
        CONFIGURED("fixed", "static", "manual", "none"),
        AUTO("automatic", "table", "database", "dynamic", "primary", "standby");

        private final List<String> aliases;

        RoleMode(String... aliases) {
            this.aliases = List.of(aliases);
        }

        @Override
        public List<String> aliases() {
            return aliases;
        }
    }

    /** What a fenced route that does not stop in time leads to. */
    public enum OnStuck {
        HALT,
        LOG
    }

    /** What the backup does with a taken-over host's lease when that host is LIVE again. */
    public enum Failback {
        RELEASE,
        KEEP
    }

    /** What a key under {@code hotbackup.} that the pack does not know leads to. */
    public enum UnknownKeys {
        REFUSE,
        WARN
    }

    // ---- identity -------------------------------------------------------------------------------

    public static final Key<String> HOST =
            declare(Key.text("hotbackup.host", null), Section.IDENTITY)
                    .doc("Name this instance announces in its heartbeats.")
                    .defaultDoc("the local host name")
                    .ref("hostname");

    public static final Key<String> CONFIG =
            declare(Key.text("hotbackup.config", "base"), Section.IDENTITY)
                    .doc("Configuration name it announces.")
                    .ref("configname");

    // ---- mode -----------------------------------------------------------------------------------

    public static final Key<Boolean> BACKUP =
            declare(Key.flag("hotbackup.backup", false), Section.MODE)
                    .doc(
                            "Full-backup mode: takeover routes stay stopped and no heartbeat is"
                                    + " sent until a monitored host is DEAD; then this instance"
                                    + " goes live and heartbeats to its own backup-location. The"
                                    + " command-line flag -b does the same.")
                    .ref("-b / iway.backup");

    // ---- heartbeat emitter ----------------------------------------------------------------------

    public static final Key<List<HostPort>> BACKUP_LOCATION =
            declare(Key.list("hotbackup.backup-location", HostPort::parse), Section.EMITTER)
                    .doc(
                            "Where heartbeats go: host:port[,host:port], the backup listeners that"
                                    + " watch this instance. Empty: this instance sends no"
                                    + " heartbeat.")
                    .ref("Location of backup");

    public static final Key<Duration> HEARTBEAT_INTERVAL =
            declare(
                            Key.duration(
                                    "hotbackup.heartbeat-interval",
                                    "100ms",
                                    Duration.ofMillis(10),
                                    Duration.ofMinutes(10)),
                            Section.EMITTER)
                    .of(Feature.EMITTER)
                    .doc("Time between heartbeats.");

    public static final Key<Integer> PROBE_PORT =
            declare(Key.port("hotbackup.probe.port", 0, "any free port"), Section.EMITTER)
                    .of(Feature.EMITTER)
                    .defaultDoc("0")
                    .doc(
                            "Port on which this instance answers the backup's reconfirm probe;"
                                    + " announced in every heartbeat. 0 picks a free port; set a"
                                    + " fixed one when a firewall sits between the hosts.");

    public static final Key<String> PROBE_BIND_ADDRESS =
            declare(Key.text("hotbackup.probe.bind-address", ""), Section.EMITTER)
                    .of(Feature.EMITTER)
                    .defaultDoc("empty (all interfaces)")
                    .doc("Local address the probe port binds to.");

    // ---- Backup listener ------------------------------------------------------------------------

    public static final Key<Integer> LISTENER_PORT =
            declare(Key.port("hotbackup.listener.port", 0, null), Section.LISTENER)
                    .defaultDoc("empty (no listener)")
                    .doc("Port the Backup listener receives heartbeats on.")
                    .ref("Port / Heartbeat port");

    public static final Key<String> LISTENER_BIND_ADDRESS =
            declare(Key.text("hotbackup.listener.bind-address", ""), Section.LISTENER)
                    .of(Feature.LISTENER)
                    .defaultDoc("empty (all interfaces)")
                    .doc("Local bind address for multi-homed hosts.")
                    .ref("Local bind address");

    public static final Key<Duration> THRESHOLD =
            declare(
                            Key.duration(
                                    "hotbackup.listener.threshold",
                                    "60s",
                                    Duration.ofMillis(100),
                                    Duration.ofDays(1)),
                            Section.LISTENER)
                    .of(Feature.LISTENER)
                    .doc("Silence tolerated before the reconfirm probe and DEAD.")
                    .ref("Threshold");

    public static final Key<Duration> CHECK_INTERVAL =
            declare(
                            Key.duration(
                                    "hotbackup.listener.check-interval",
                                    null,
                                    Duration.ofMillis(1),
                                    Duration.ofMinutes(1)),
                            Section.LISTENER)
                    .of(Feature.LISTENER)
                    .defaultDoc("threshold/20, at most 100ms, at least 10ms")
                    .doc(
                            "How often the silence timer looks for silent hosts. At most the"
                                    + " threshold.");

    public static final Key<Duration> PROBE_TIMEOUT =
            declare(
                            Key.duration(
                                    "hotbackup.listener.probe-timeout",
                                    null,
                                    Duration.ofMillis(10),
                                    Duration.ofMinutes(1)),
                            Section.LISTENER)
                    .of(Feature.LISTENER)
                    .defaultDoc("threshold/4, at most 1s")
                    .doc(
                            "How long the reconfirm probe waits for the silent host's answer"
                                    + " before DEAD. At most half the threshold.");

    public static final Key<Boolean> PROBE_ON_DISCONNECT =
            declare(Key.flag("hotbackup.listener.probe-on-disconnect", true), Section.LISTENER)
                    .of(Feature.LISTENER)
                    .doc(
                            "When a live host's heartbeat connection closes without a CLOSE frame"
                                    + " (its process died), probe it at once instead of waiting"
                                    + " for the threshold: a killed process is DEAD in"
                                    + " milliseconds, and the probe still keeps a host that"
                                    + " answers LIVE. Applies only to hosts whose probe answered"
                                    + " when they became LIVE.");

    public static final Key<Duration> RETENTION =
            declare(
                            Key.duration(
                                    "hotbackup.listener.retention",
                                    "24h",
                                    Duration.ofSeconds(1),
                                    Duration.ofDays(3650)),
                            Section.LISTENER)
                    .of(Feature.LISTENER)
                    .doc(
                            "A monitored host silent (DEAD or CLOSE) for this long is forgotten,"
                                    + " and the eviction logged; memory stays constant however"
                                    + " many hosts come and go.");

    public static final Key<List<String>> ALLOW =
            declare(Key.list("hotbackup.listener.allow", Keys::pair), Section.LISTENER)
                    .of(Feature.LISTENER)
                    .defaultDoc("empty (all)")
                    .doc(
                            "Accept only these monitored hosts, comma separated host/config; *"
                                    + " stands for any run of characters (serverA/*, */base)."
                                    + " Others are refused and reported once per source.");

    public static final Key<List<String>> EXPECT =
            declare(Key.list("hotbackup.listener.expect", Keys::pair), Section.LISTENER)
                    .of(Feature.LISTENER)
                    .doc(
                            "Monitored hosts (host/config) this backup expects: one not heard"
                                    + " within the threshold after the listener starts is DEAD"
                                    + " (a backup that boots alone after an outage takes over)."
                                    + " Hosts not listed stay WAITING until heard.");

    public static final Key<Integer> MAX_CONNECTIONS =
            declare(Key.count("hotbackup.listener.max-connections", 512, 1), Section.LISTENER)
                    .of(Feature.LISTENER)
                    .doc("Open connections the listener accepts in all; more are refused at once.");

    public static final Key<Integer> MAX_CONNECTIONS_PER_ADDRESS =
            declare(
                            Key.count("hotbackup.listener.max-connections-per-address", 32, 1),
                            Section.LISTENER)
                    .of(Feature.LISTENER)
                    .doc("Open connections from one address; more are refused at once.");

    public static final Key<Integer> MAX_BACKLOG =
            declare(Key.count("hotbackup.listener.max-backlog", 100_000, 1), Section.LISTENER)
                    .of(Feature.LISTENER)
                    .doc(
                            "Frames received and waiting to be handled, at most, shared out"
                                    + " over the listener's lanes (one per core, each connection"
                                    + " in one). A lane whose queue is full is behind: until it"
                                    + " has caught up it keeps only the newest frame of each"
                                    + " connection and host (the older ones counted as"
                                    + " superseded), for at most as many hosts as its queue holds,"
                                    + " and drops frames beyond that (counted as overloaded)"
                                    + " instead of queueing until it runs out of memory. A CLOSE"
                                    + " frame is never superseded and has a reserve of a"
                                    + " hundredth of the lane. The default holds a second of"
                                    + " 10,000 hosts at 10 Hz, about 20 MiB when full (twice that"
                                    + " while behind).");

    public static final Key<Duration> IDLE_TIMEOUT =
            declare(
                            Key.duration(
                                    "hotbackup.listener.idle-timeout",
                                    "10s",
                                    Duration.ofMillis(100),
                                    Duration.ofDays(1)),
                            Section.LISTENER)
                    .of(Feature.LISTENER)
                    .doc(
                            "A connection that delivers no complete line for this long is closed"
                                    + " (slow or idle senders).");

    public static final Key<SignalXml.Whitespace> WHITESPACE =
            declare(
                            Key.choice(
                                    "hotbackup.listener.whitespace",
                                    "preserve",
                                    SignalXml.Whitespace.class),
                            Section.LISTENER)
                    .of(Feature.LISTENER)
                    .doc(
                            "preserve: names in the signal XML keep every whitespace character"
                                    + " (tab, newline written as character references); condense:"
                                    + " runs of whitespace become one space.")
                    .ref("Whitespace normalization");

    public static final Key<String> SIGNALS_TO =
            declare(Key.text("hotbackup.listener.signals-to", ""), Section.LISTENER)
                    .of(Feature.LISTENER)
                    .doc(
                            "An endpoint that also gets every signal (the XML, with"
                                    + " HotBackupHost/Config/State headers) once the pack's signal"
                                    + " router is done with it, for your own routes: select with"
                                    + " XPath on /signal/@host and /signal/@config. Example:"
                                    + " seda:my-signals.");

    public static final Key<Boolean> ACTIVITY_LOG =
            declare(Key.flag("hotbackup.listener.activity-log", true), Section.LISTENER)
                    .doc(
                            "Record every signal, takeover, release, mail and refused frame as a"
                                    + " JSON line.")
                    .ref("Record in activity log");

    public static final Key<String> ACTIVITY_LOG_FILE =
            declare(
                            Key.text(
                                    "hotbackup.listener.activity-log-file",
                                    "logs/hotbackup-activity.log"),
                            Section.LISTENER)
                    .doc("Where the activity log is written, relative to the working directory.");

    // ---- takeover -------------------------------------------------------------------------------

    public static final Key<List<String>> TAKEOVER_ROUTES =
            declare(Key.list("hotbackup.takeover.routes", Keys::routeId), Section.TAKEOVER)
                    .of(Feature.LISTENER)
                    .doc(
                            "Route ids started when a monitored host is DEAD and stopped when it"
                                    + " is LIVE again, comma separated. Each must be one of your"
                                    + " routes in routes/.")
                    .ref("control agent's list of channels");

    public static final Key<List<String>> TAKEOVER_ROUTES_FOR =
            declare(
                            Key.list("hotbackup.takeover.routes.<host>/<config>", Keys::routeId)
                                    .pattern(),
                            Section.TAKEOVER)
                    .of(Feature.LISTENER)
                    .defaultDoc("hotbackup.takeover.routes")
                    .doc(
                            "Takeover routes of one monitored host, used instead of"
                                    + " hotbackup.takeover.routes (the last / separates the"
                                    + " config).")
                    .example("hotbackup.takeover.routes.serverA/base=orders-in,orders-out");

    public static final Key<Boolean> TAKEOVER_ON_CLOSE =
            declare(Key.flag("hotbackup.takeover.on-close", true), Section.TAKEOVER)
                    .of(Feature.LISTENER)
                    .doc("Also take over when the monitored host stops normally (CLOSE).");

    public static final Key<Duration> FAILBACK_DELAY =
            declare(
                            Key.duration(
                                    "hotbackup.takeover.failback-delay",
                                    "0s",
                                    Duration.ZERO,
                                    Duration.ofDays(1)),
                            Section.TAKEOVER)
                    .of(Feature.LISTENER)
                    .doc(
                            "How long a host back from DEAD must stay LIVE before its routes are"
                                    + " stopped here. During this time both hosts run them; 0"
                                    + " stops them at once. Raise it when your routes tolerate"
                                    + " running twice and a host may flap.");

    public static final Key<TakeoverMode> TAKEOVER_MODE =
            declare(
                            Key.choice("hotbackup.takeover.mode", "auto", TakeoverMode.class),
                            Section.TAKEOVER)
                    .of(Feature.LISTENER)
                    .doc(
                            "auto: DEAD starts the takeover routes. manual: DEAD only alerts"
                                    + " (mail, log, status page) and an operator takes over by"
                                    + " hand (POST /hotbackup/monitors/{host}/{config}/takeover, or"
                                    + " JMX). LIVE always stops them: the live host runs them"
                                    + " again.");

    public static final Key<String> TAKEOVER_NOTIFY_TO =
            declare(Key.text("hotbackup.takeover.notify-to", ""), Section.TAKEOVER)
                    .of(Feature.LISTENER)
                    .doc(
                            "An endpoint of your own routes told of every takeover twice: PRE once"
                                    + " it is decided, before the takeover routes start, and POST"
                                    + " once they were started (header HotBackupFailoverComplete:"
                                    + " whether all of them run). The signal XML with the"
                                    + " HotBackup* headers and HotBackupFailover=PRE|POST, sent"
                                    + " one-way, in order; a failure in your route is logged and"
                                    + " never stops the takeover. Use seda: so your route does not"
                                    + " delay it. Example: seda:failover.")
                    .ref("preBEFailOverNotification / postBEFailOverNotification");

    // ---- never two actives ----------------------------------------------------------------------

    public static final Key<ArbiterKind> ARBITER =
            declare(Key.choice("hotbackup.arbiter", "none", ArbiterKind.class), Section.ARBITER)
                    .doc(
                            "Where leases are held: none (no arbitration: a cut link makes both"
                                    + " hosts run the same routes for as long as it lasts), jdbc"
                                    + " (a table in a shared database), zookeeper (an ensemble,"
                                    + " through Apache Curator) or file (lock files on shared"
                                    + " storage). With an arbiter, a backup starts a dead host's"
                                    + " routes only once it holds that host's lease, and a holder"
                                    + " that cannot renew stops them before anyone else can be"
                                    + " granted it. See docs/fencing.md.")
                    .ref("LockFile / arbitration table / failover table");

    public static final Key<Duration> ARBITER_LEASE =
            declare(
                            Key.duration(
                                    "hotbackup.arbiter.lease",
                                    "10s",
                                    Duration.ofSeconds(1),
                                    Duration.ofMinutes(10)),
                            Section.ARBITER)
                    .of(Feature.ARBITER)
                    .doc(
                            "How long a lease lasts without renewal. A holder that dies without"
                                    + " giving it back (SIGKILL, power loss) is replaced this long"
                                    + " after its last renewal (jdbc, zookeeper; file frees it at"
                                    + " once); a shorter lease fails over faster and fences on"
                                    + " shorter database or network hiccups.");

    public static final Key<Duration> ARBITER_RENEW_INTERVAL =
            declare(
                            Key.duration(
                                    "hotbackup.arbiter.renew-interval",
                                    null,
                                    Duration.ofMillis(50),
                                    Duration.ofMinutes(5)),
                            Section.ARBITER)
                    .of(Feature.ARBITER)
                    .defaultDoc("a fifth of hotbackup.arbiter.lease")
                    .doc("Time between renewals of the leases held here.");

    public static final Key<Duration> ARBITER_RENEW_DEADLINE =
            declare(
                            Key.duration(
                                    "hotbackup.arbiter.renew-deadline",
                                    null,
                                    Duration.ofMillis(100),
                                    Duration.ofMinutes(10)),
                            Section.ARBITER)
                    .of(Feature.ARBITER)
                    .defaultDoc("three fifths of hotbackup.arbiter.lease")
                    .doc(
                            "No renewal answered for this long, measured on this host's monotonic"
                                    + " clock from the last one that succeeded: the holder closes"
                                    + " the gate of its guarded routes and stops them. Longer than"
                                    + " the renew interval, and short enough to leave the routes"
                                    + " time to stop before nine tenths of the lease.");

    public static final Key<OnStuck> ARBITER_ON_STUCK =
            declare(
                            Key.choice("hotbackup.arbiter.on-stuck", "halt", OnStuck.class),
                            Section.ARBITER)
                    .of(Feature.ARBITER)
                    .doc(
                            "A guarded route still running at nine tenths of the lease after its"
                                    + " holder lost it: halt stops the process at once (like a"
                                    + " watchdog reset); log only logs an error, for those who"
                                    + " accept that two instances may then run it.");

    public static final Key<List<String>> ARBITER_ROUTES =
            declare(Key.list("hotbackup.arbiter.routes", Keys::routeId), Section.ARBITER)
                    .of(Feature.ARBITER)
                    .doc(
                            "On a live host: its own route ids that run only while it holds its"
                                    + " lease (host/config), whatever their autoStartup says, and"
                                    + " stop when it loses it. List every route a backup takes"
                                    + " over from this host.")
                    .example("hotbackup.arbiter.routes=orders-in,orders-out");

    public static final Key<Failback> ARBITER_FAILBACK =
            declare(
                            Key.choice("hotbackup.arbiter.failback", "release", Failback.class),
                            Section.ARBITER)
                    .of(Feature.ARBITER)
                    .doc(
                            "When a taken-over host is LIVE again: release stops its routes here"
                                    + " and gives its lease back, so it runs them again; keep goes"
                                    + " on running them here under the lease, and the returning"
                                    + " host waits as the standby until this one stops or an"
                                    + " operator releases (POST"
                                    + " /hotbackup/monitors/{host}/{config}/release).");

    public static final Key<String> ARBITER_JDBC_URL =
            declare(Key.text("hotbackup.arbiter.jdbc.url", ""), Section.ARBITER)
                    .of(Feature.JDBC)
                    .doc(
                            "The database every instance shares (PostgreSQL and H2 drivers are in"
                                    + " the jar). There is no default: two instances each with a"
                                    + " database of its own would both be granted every lease. On"
                                    + " one machine, an H2 file shared with ;AUTO_SERVER=TRUE.")
                    .example("hotbackup.arbiter.jdbc.url=jdbc:postgresql://db:5432/hotbackup");

    public static final Key<String> ARBITER_JDBC_USERNAME =
            declare(Key.text("hotbackup.arbiter.jdbc.username", ""), Section.ARBITER)
                    .of(Feature.JDBC)
                    .doc("Database user.");

    public static final Key<String> ARBITER_JDBC_PASSWORD =
            declare(Key.text("hotbackup.arbiter.jdbc.password", ""), Section.ARBITER)
                    .of(Feature.JDBC)
                    .secret()
                    .doc("Database password; pass it as an environment variable.");

    public static final Key<String> ARBITER_JDBC_TABLE =
            declare(Key.text("hotbackup.arbiter.jdbc.table", "hotbackup_lease"), Section.ARBITER)
                    .of(Feature.JDBC)
                    .doc(
                            "The lease table, created when missing (one row per lease, never deleted).");

    public static final Key<String> ARBITER_ZOOKEEPER_CONNECT =
            declare(Key.text("hotbackup.arbiter.zookeeper.connect", ""), Section.ARBITER)
                    .of(Feature.ZOOKEEPER)
                    .doc("The ensemble: host:port[,host:port].")
                    .example("hotbackup.arbiter.zookeeper.connect=zk1:2181,zk2:2181,zk3:2181");

    public static final Key<String> ARBITER_ZOOKEEPER_BASE_PATH =
            declare(
                            Key.text("hotbackup.arbiter.zookeeper.base-path", "/hotbackup"),
                            Section.ARBITER)
                    .of(Feature.ZOOKEEPER)
                    .doc("The znode the leases live under.");

    public static final Key<Duration> ARBITER_ZOOKEEPER_SESSION_TIMEOUT =
            declare(
                            Key.duration(
                                    "hotbackup.arbiter.zookeeper.session-timeout",
                                    null,
                                    Duration.ofSeconds(1),
                                    Duration.ofMinutes(10)),
                            Section.ARBITER)
                    .of(Feature.ZOOKEEPER)
                    .defaultDoc("hotbackup.arbiter.lease")
                    .doc(
                            "The ZooKeeper session timeout: the lease lasts as long as the"
                                    + " session. The ensemble may grant another (between 2 and 20"
                                    + " ticks); the one granted is used and logged.");

    public static final Key<String> ARBITER_FILE_PATH =
            declare(Key.text("hotbackup.arbiter.file.path", ""), Section.ARBITER)
                    .of(Feature.FILE)
                    .doc(
                            "Folder on shared storage that holds the lock files, one per lease"
                                    + " (NFSv4 or SMB, mounted by every instance). The operating"
                                    + " system frees a lock when its holder dies; a hung holder"
                                    + " keeps it.")
                    .example("hotbackup.arbiter.file.path=/mnt/gateway/hotbackup");

    public static final Key<List<HostPort>> GATEWAY =
            declare(Key.list("hotbackup.gateway", HostPort::parse), Section.ARBITER)
                    .doc(
                            "host:port[,host:port] that tell \"the other host died\" from \"I am"
                                    + " cut off\": reachable when any accepts a TCP connection. A"
                                    + " backup that reaches none takes nothing over; a holder that"
                                    + " reaches none for fence-after stops its guarded routes."
                                    + " With hotbackup.arbiter=none it is the only partition guard.")
                    .ref("GatewayServerIPAddress / GatewayServerPort");

    public static final Key<Duration> GATEWAY_FENCE_AFTER =
            declare(
                            Key.duration(
                                    "hotbackup.gateway.fence-after",
                                    "10s",
                                    Duration.ofMillis(200),
                                    Duration.ofHours(1)),
                            Section.ARBITER)
                    .of(Feature.GATEWAY)
                    .doc(
                            "How long a holder may reach no gateway before it stops its guarded"
                                    + " routes. With hotbackup.arbiter=none, keep it well under the"
                                    + " backup's hotbackup.listener.threshold, so the live host has"
                                    + " stopped before the backup starts.");

    public static final Key<Duration> GATEWAY_RESUME_AFTER =
            declare(
                            Key.duration(
                                    "hotbackup.gateway.resume-after",
                                    "5s",
                                    Duration.ZERO,
                                    Duration.ofHours(1)),
                            Section.ARBITER)
                    .of(Feature.GATEWAY)
                    .doc(
                            "With hotbackup.arbiter=none only: how long a gateway must have answered"
                                    + " without a break before guarded routes start, at start and"
                                    + " after a fence. A live host back from a cut waits this long,"
                                    + " so that its backup hears it and stops its copies first:"
                                    + " longer than the backup's takeover routes take to stop.");

    public static final Key<Duration> GATEWAY_TIMEOUT =
            declare(
                            Key.duration(
                                    "hotbackup.gateway.timeout",
                                    "1s",
                                    Duration.ofMillis(10),
                                    Duration.ofMinutes(1)),
                            Section.ARBITER)
                    .of(Feature.GATEWAY)
                    .doc("How long each gateway has to accept a connection.");

    // ---- groups ---------------------------------------------------------------------------------

    public static final Key<List<Member>> GROUP_MEMBERS =
            declare(
                            Key.list("hotbackup.group.<group>.members", Member::parse).pattern(),
                            Section.GROUP)
                    .defaultDoc("no group")
                    .doc(
                            "The members of a group, 2 to 5, each as host@address:port: its"
                                    + " hotbackup.host and where its Backup listener is reached."
                                    + " Every member runs the same file; hotbackup.host says which"
                                    + " member an instance is. Members heartbeat to each other"
                                    + " (this sets hotbackup.listener.port and"
                                    + " hotbackup.backup-location), and need an arbiter. The order"
                                    + " is the preference order unless .preference says otherwise.")
                    .ref("module group")
                    .example(
                            "hotbackup.group.hub.members=hostA@10.0.0.1:7001,hostB@10.0.0.2:7001,hostC@10.0.0.3:7001");

    public static final Key<GroupMode> GROUP_MODE =
            declare(
                            Key.choice(
                                            "hotbackup.group.<group>.mode",
                                            "active-active",
                                            GroupMode.class)
                                    .pattern(),
                            Section.GROUP)
                    .defaultDoc("active-active")
                    .doc(
                            "active-standby: the master runs .master-routes, the others stand by."
                                    + " active-active: each member runs its own .routes.<member>,"
                                    + " a dead member's work moves to one survivor, and the master"
                                    + " alone runs .master-routes. standalone: each member runs its"
                                    + " own work, shown in the group view; no master, no takeover.")
                    .ref("active-standby / active-active module group")
                    .example("hotbackup.group.hub.mode=active-active");

    public static final Key<List<String>> GROUP_ROUTES =
            declare(
                            Key.list("hotbackup.group.<group>.routes.<member>", Keys::routeId)
                                    .pattern(),
                            Section.GROUP)
                    .defaultDoc("empty")
                    .doc(
                            "A member's own work (active-active, standalone): the route ids it runs"
                                    + " while alive, and one survivor runs while it is dead. A"
                                    + " route belongs to one member's work only.")
                    .ref("processing map")
                    .example("hotbackup.group.hub.routes.hostA=orders-a");

    public static final Key<List<String>> GROUP_MASTER_ROUTES =
            declare(
                            Key.list("hotbackup.group.<group>.master-routes", Keys::routeId)
                                    .pattern(),
                            Section.GROUP)
                    .defaultDoc("empty")
                    .doc(
                            "Routes only the master runs, on one member at a time (file and"
                                    + " database importers). Required in active-standby.")
                    .ref("master only")
                    .example("hotbackup.group.hub.master-routes=file-importer");

    public static final Key<TakeoverMode> GROUP_TAKEOVER =
            declare(
                            Key.choice(
                                            "hotbackup.group.<group>.takeover",
                                            "auto",
                                            TakeoverMode.class)
                                    .pattern(),
                            Section.GROUP)
                    .defaultDoc("auto")
                    .doc(
                            "auto: a dead member's work moves to the first survivor by preference."
                                    + " manual: it waits until an operator moves it (POST"
                                    + " /hotbackup/groups/<group>/move?work=<member>&to=<member>).")
                    .ref("takeover (automatic or by an operator)")
                    .example("hotbackup.group.hub.takeover=manual");

    public static final Key<List<String>> GROUP_PREFERENCE =
            declare(
                            Key.list("hotbackup.group.<group>.preference", String::trim).pattern(),
                            Section.GROUP)
                    .defaultDoc("the order of .members")
                    .doc(
                            "The order in which survivors are preferred, for a dead member's work"
                                    + " and for the master role: member hosts, comma separated;"
                                    + " members left out come last, in the order of .members.")
                    .example("hotbackup.group.hub.preference=hostC,hostA,hostB");

    public static final Key<Boolean> GROUP_PREEMPT =
            declare(Key.flag("hotbackup.group.<group>.preempt", false).pattern(), Section.GROUP)
                    .defaultDoc("false")
                    .doc(
                            "false: a master keeps the role while it lives; a returning member"
                                    + " stands by. true: the role goes back to the most preferred"
                                    + " live member once it has been LIVE for"
                                    + " hotbackup.takeover.failback-delay.")
                    .example("hotbackup.group.hub.preempt=true");

    // ---- database link --------------------------------------------------------------------------

    public static final Key<LinkKind> LINK =
            declare(Key.choice("hotbackup.link", "tcp", LinkKind.class), Section.LINK)
                    .doc(
                            "How heartbeats travel: tcp (the live host sends signed frames to"
                                    + " hotbackup.backup-location, the backup listens on"
                                    + " hotbackup.listener.port) or jdbc (each host bumps a counter"
                                    + " in a table of the arbiter's database, the backup reads it:"
                                    + " for sites where the hosts reach the same database but not"
                                    + " each other). jdbc needs hotbackup.arbiter=jdbc, and replaces"
                                    + " backup-location, listener.port and the reconfirm probe. See"
                                    + " docs/database-link.md.")
                    .ref("BEFailOver table");

    public static final Key<String> LINK_JDBC_TABLE =
            declare(Key.text("hotbackup.link.jdbc.table", "hotbackup_heartbeat"), Section.LINK)
                    .of(Feature.DATABASE_LINK)
                    .doc(
                            "The heartbeat table in the arbiter's database, created when missing:"
                                    + " one row per live host (host, config, counter, state, time"
                                    + " by the database's clock). A backup watches every row but"
                                    + " its own, as a listener hears every host that sends to its"
                                    + " port: give each pair its own table, or use"
                                    + " hotbackup.listener.allow.");

    public static final Key<Duration> LINK_JDBC_HEARTBEAT_INTERVAL =
            declare(
                            Key.duration(
                                    "hotbackup.link.jdbc.heartbeat-interval",
                                    "1s",
                                    Duration.ofMillis(100),
                                    Duration.ofMinutes(10)),
                            Section.LINK)
                    .of(Feature.DATABASE_LINK)
                    .doc(
                            "How often a live host adds one to its counter (one UPDATE; the"
                                    + " database stamps it with its own clock).")
                    .ref("HEART_BEAT_INTERVAL");

    public static final Key<Duration> LINK_JDBC_CHECK_INTERVAL =
            declare(
                            Key.duration(
                                    "hotbackup.link.jdbc.check-interval",
                                    "2s",
                                    Duration.ofMillis(100),
                                    Duration.ofMinutes(10)),
                            Section.LINK)
                    .of(Feature.DATABASE_LINK)
                    .doc(
                            "How often a backup reads the counters (one SELECT for the whole"
                                    + " table). Keep it longer than the heartbeat interval: a"
                                    + " shorter or equal one is warned about at start, since one"
                                    + " late update would look like a missed one.")
                    .ref("FAIL_OVER_INTERVAL");

    public static final Key<Integer> LINK_JDBC_RETRY_COUNT =
            declare(Key.count("hotbackup.link.jdbc.retry-count", 3, 1), Section.LINK)
                    .of(Feature.DATABASE_LINK)
                    .doc(
                            "Reads in a row that find a host's counter unchanged before it is"
                                    + " DEAD: the threshold is check-interval x retry-count (6s by"
                                    + " default; the reference's defaults took 60 to 120 s), and"
                                    + " replaces hotbackup.listener.threshold.")
                    .ref("RETRY_COUNT");

    public static final Key<RoleMode> ROLE =
            declare(Key.choice("hotbackup.role", "configured", RoleMode.class), Section.LINK)
                    .doc(
                            "configured: the keys say what this instance is (the live host lists"
                                    + " hotbackup.arbiter.routes, the backup"
                                    + " hotbackup.takeover.routes). auto: both hosts run the same"
                                    + " configuration with hotbackup.link=jdbc and list the pair's"
                                    + " routes in hotbackup.takeover.routes; at start the heartbeat"
                                    + " table decides: the first instance is the primary and runs"
                                    + " them, the next registers as its standby, any further one"
                                    + " is refused (exit 2). -b makes an instance the standby. The"
                                    + " two share one lease, pair/<config>. See"
                                    + " docs/database-link.md.")
                    .ref("roles at start (BEFailOver table)");

    public static final Key<Duration> CONFIG_BACKUP_INTERVAL =
            declare(
                            Key.duration(
                                    "hotbackup.config-backup.interval",
                                    "30s",
                                    Duration.ofSeconds(1),
                                    Duration.ofDays(1)),
                            Section.LINK)
                    .of(Feature.ROLES)
                    .doc(
                            "How often the primary copies its configuration (the files of"
                                    + " hotbackup.config-backup.include) into the database, and"
                                    + " how often the standby looks for a new copy. A copy is"
                                    + " written only when a file changed.")
                    .ref("BACKUP_INTERVAL");

    public static final Key<List<String>> CONFIG_BACKUP_INCLUDE =
            declare(Key.list("hotbackup.config-backup.include", s -> s), Section.LINK)
                    .of(Feature.ROLES)
                    .defaultDoc("routes/,application.properties")
                    .doc(
                            "Files and folders (a folder ends with /) relative to the working"
                                    + " directory that the primary copies to the standby. The"
                                    + " values of keys and URI parameters whose name contains"
                                    + " password, secret, token, passphrase or credential, and"
                                    + " hotbackup.host, are left out of the copy.")
                    .ref("include list");

    public static final Key<List<String>> CONFIG_BACKUP_EXCLUDE =
            declare(Key.list("hotbackup.config-backup.exclude", s -> s), Section.LINK)
                    .of(Feature.ROLES)
                    .defaultDoc("none")
                    .doc(
                            "Files and folders left out of the copy, written as in"
                                    + " hotbackup.config-backup.include (routes/local/ leaves out"
                                    + " that folder).")
                    .ref("exclude list");

    public static final Key<String> CONFIG_BACKUP_FOLDER =
            declare(Key.text("hotbackup.config-backup.folder", ""), Section.LINK)
                    .of(Feature.ROLES)
                    .defaultDoc("<hotbackup.state-dir>/config-backup")
                    .doc(
                            "Where the standby keeps the primary's copy: current/ always holds"
                                    + " one whole copy (it is switched in one rename), never half"
                                    + " of one. The standby's own files are never overwritten.");

    // ---- security -------------------------------------------------------------------------------

    /** The shortest secret accepted: 16 characters, 96 bits or more of a random token. */
    public static final int MIN_SECRET = 16;

    public static final Key<String> SECRET =
            declare(Key.text("hotbackup.secret", ""), Section.SECURITY)
                    .secret()
                    .defaultDoc("none")
                    .doc(
                            "Shared secret that signs (live host) and verifies (backup) every"
                                    + " heartbeat and probe answer with HMAC-SHA256, at least "
                                    + MIN_SECRET
                                    + " characters. Set the same value on both hosts, through the"
                                    + " environment (HOTBACKUP_SECRET) rather than in this file."
                                    + " Without it, an instance whose listener is reachable from"
                                    + " other hosts, or that heartbeats to another host, refuses"
                                    + " to start.");

    public static final Key<Boolean> ALLOW_UNSIGNED =
            declare(Key.flag("hotbackup.allow-unsigned", false), Section.SECURITY)
                    .doc("Run without a secret anyway, on a network you trust.");

    public static final Key<Boolean> TLS_ENABLED =
            declare(Key.flag("hotbackup.tls.enabled", false), Section.SECURITY)
                    .doc(
                            "TLS 1.2/1.3 on the heartbeat link and the probe. Key store: this"
                                    + " host's key and certificate; trust store: the peers'"
                                    + " certificates (or their CA); both PKCS12. The client side"
                                    + " checks that the server's certificate names the host it"
                                    + " connects to.");

    public static final Key<String> TLS_KEYSTORE =
            declare(Key.text("hotbackup.tls.keystore", ""), Section.SECURITY)
                    .of(Feature.TLS)
                    .doc("This host's key and certificate (PKCS12 file). Required with TLS.");

    public static final Key<String> TLS_KEYSTORE_PASSWORD =
            declare(Key.text("hotbackup.tls.keystore-password", ""), Section.SECURITY)
                    .of(Feature.TLS)
                    .secret()
                    .doc("Password of the key store.");

    public static final Key<String> TLS_TRUSTSTORE =
            declare(Key.text("hotbackup.tls.truststore", ""), Section.SECURITY)
                    .of(Feature.TLS)
                    .doc("The peers' certificates or their CA (PKCS12 file). Required with TLS.");

    public static final Key<String> TLS_TRUSTSTORE_PASSWORD =
            declare(Key.text("hotbackup.tls.truststore-password", ""), Section.SECURITY)
                    .of(Feature.TLS)
                    .secret()
                    .doc("Password of the trust store.");

    public static final Key<ClientAuth> TLS_CLIENT_AUTH =
            declare(
                            Key.choice("hotbackup.tls.client-auth", "none", ClientAuth.class),
                            Section.SECURITY)
                    .of(Feature.TLS)
                    .doc(
                            "none: the server does not ask for a client certificate; require:"
                                    + " mutual TLS.");

    public static final Key<Boolean> TLS_VERIFY_HOSTNAME =
            declare(Key.flag("hotbackup.tls.verify-hostname", true), Section.SECURITY)
                    .of(Feature.TLS)
                    .doc("Check that the server certificate names the host connected to.");

    public static final Key<List<String>> TLS_PROTOCOLS =
            declare(Key.list("hotbackup.tls.protocols", Keys::protocol), Section.SECURITY)
                    .of(Feature.TLS)
                    .defaultDoc("TLSv1.3,TLSv1.2")
                    .doc("Protocols allowed.");

    // ---- state ----------------------------------------------------------------------------------

    public static final Key<String> STATE_DIR =
            declare(Key.text("hotbackup.state-dir", "data"), Section.STATE)
                    .doc(
                            "Folder for this instance's small state files: the boot counter that"
                                    + " makes old heartbeats recognisable as replays, and what"
                                    + " the listener knows of each monitored host (so a backup"
                                    + " that restarts during a takeover takes over again).");

    // ---- mail -----------------------------------------------------------------------------------

    public static final Key<String> MAIL_HOST =
            declare(Key.text("hotbackup.mail.host", ""), Section.MAIL)
                    .defaultDoc("empty (no mail)")
                    .doc("SMTP server for a mail on every signal.");

    public static final Key<Integer> MAIL_PORT =
            declare(Key.port("hotbackup.mail.port", 25, null), Section.MAIL)
                    .of(Feature.MAIL)
                    .doc("SMTP port.");

    public static final Key<String> MAIL_USERNAME =
            declare(Key.text("hotbackup.mail.username", ""), Section.MAIL)
                    .of(Feature.MAIL)
                    .defaultDoc("none")
                    .doc("SMTP user; leave unset for a server without authentication.");

    public static final Key<String> MAIL_PASSWORD =
            declare(Key.text("hotbackup.mail.password", ""), Section.MAIL)
                    .of(Feature.MAIL)
                    .secret()
                    .defaultDoc("none")
                    .doc(
                            "SMTP password; set it through the environment"
                                    + " (HOTBACKUP_MAIL_PASSWORD). Never logged.");

    public static final Key<String> MAIL_FROM =
            declare(Key.text("hotbackup.mail.from", null), Section.MAIL)
                    .of(Feature.MAIL)
                    .defaultDoc("hotbackup@<hotbackup.host>")
                    .doc("Sender.");

    public static final Key<String> MAIL_TO =
            declare(Key.text("hotbackup.mail.to", ""), Section.MAIL)
                    .of(Feature.MAIL)
                    .doc("Recipients, comma separated. Required when hotbackup.mail.host is set.");

    public static final Key<String> MAIL_TO_FOR =
            declare(Key.text("hotbackup.mail.to.<host>/<config>", "").pattern(), Section.MAIL)
                    .of(Feature.MAIL)
                    .defaultDoc("hotbackup.mail.to")
                    .doc("Recipients of one monitored host, instead of hotbackup.mail.to.")
                    .example("hotbackup.mail.to.serverA/base=team-a@example.com");

    public static final Key<String> MAIL_SUBJECT =
            declare(Key.text("hotbackup.mail.subject", null), Section.MAIL)
                    .of(Feature.MAIL)
                    .defaultDoc("[hotbackup] ${host}/${config} is ${state}")
                    .doc(
                            "Subject of each mail. Fields: ${host} ${config} ${state} ${time}"
                                    + " ${why} ${action} ${routes} ${outcome} ${reporter}"
                                    + " ${operator}; values are inserted, never evaluated. An"
                                    + " unknown field stops the start.");

    public static final Key<String> MAIL_SUBJECT_FOR =
            declare(Key.text("hotbackup.mail.subject.<state>", null).pattern(), Section.MAIL)
                    .of(Feature.MAIL)
                    .defaultDoc("hotbackup.mail.subject")
                    .doc("Subject of the mails of one state only: live, dead or close.")
                    .example("hotbackup.mail.subject.dead=[hotbackup] TAKEOVER: ${host} is DEAD");

    public static final Key<String> MAIL_BODY =
            declare(Key.text("hotbackup.mail.body", null), Section.MAIL)
                    .of(Feature.MAIL)
                    .defaultDoc("a line per field")
                    .doc("Body of each mail, with the same fields; \\n is a line break.");

    public static final Key<String> MAIL_BODY_FOR =
            declare(Key.text("hotbackup.mail.body.<state>", null).pattern(), Section.MAIL)
                    .of(Feature.MAIL)
                    .defaultDoc("hotbackup.mail.body")
                    .doc("Body of the mails of one state only: live, dead or close.");

    public static final Key<Integer> MAIL_RETRIES =
            declare(Key.count("hotbackup.mail.retries", 5, 0), Section.MAIL)
                    .of(Feature.MAIL)
                    .doc(
                            "A mail that fails is tried again this many times, waiting"
                                    + " retry-delay and doubling (at most 60s); then it is"
                                    + " written whole to the dead-letter file and counted.");

    public static final Key<Duration> MAIL_RETRY_DELAY =
            declare(
                            Key.duration(
                                    "hotbackup.mail.retry-delay",
                                    "1s",
                                    Duration.ZERO,
                                    Duration.ofHours(1)),
                            Section.MAIL)
                    .of(Feature.MAIL)
                    .doc("First wait before a retry, doubled each time up to 60s.");

    public static final Key<Duration> MAIL_TIMEOUT =
            declare(
                            Key.duration(
                                    "hotbackup.mail.timeout",
                                    "5s",
                                    Duration.ofMillis(100),
                                    Duration.ofMinutes(5)),
                            Section.MAIL)
                    .of(Feature.MAIL)
                    .doc("Connect and read timeout of one attempt.");

    public static final Key<String> MAIL_DEAD_LETTER_FILE =
            declare(
                            Key.text(
                                    "hotbackup.mail.dead-letter-file",
                                    "logs/hotbackup-mail-dead-letters.txt"),
                            Section.MAIL)
                    .of(Feature.MAIL)
                    .doc(
                            "Where mails that could not be sent go, relative to the working"
                                    + " directory; mails still queued when the instance stops, and"
                                    + " mails beyond the 10,000 a slow mail server leaves waiting,"
                                    + " go there too.");

    // ---- HTTP -----------------------------------------------------------------------------------

    public static final Key<Boolean> HTTP_ENABLED =
            declare(Key.flag("hotbackup.http.enabled", false), Section.HTTP)
                    .defaultDoc("on where a Backup listener runs, off elsewhere")
                    .doc(
                            "The embedded HTTP server: the status page at /hotbackup/, its JSON"
                                    + " at /hotbackup/status, the operator API and"
                                    + " /hotbackup/active/<host> for a load balancer's health check"
                                    + " (docs/clients.md; turn it on on a live host behind one),"
                                    + " and on its own port /observe/health and /observe/metrics.");

    public static final Key<Integer> HTTP_PORT =
            declare(Key.port("hotbackup.http.port", 8080, null), Section.HTTP)
                    .of(Feature.HTTP)
                    .doc("Port of the status page and the operator API.");

    public static final Key<String> HTTP_BIND_ADDRESS =
            declare(Key.text("hotbackup.http.bind-address", ""), Section.HTTP)
                    .of(Feature.HTTP)
                    .defaultDoc("empty (all interfaces)")
                    .doc("Address both HTTP ports bind.");

    public static final Key<String> HTTP_TOKEN =
            declare(Key.text("hotbackup.http.token", ""), Section.HTTP)
                    .of(Feature.HTTP)
                    .secret()
                    .defaultDoc("none (operator actions over HTTP are refused)")
                    .doc(
                            "Bearer token for operator actions (POST"
                                    + " /hotbackup/monitors/{host}/{config}/takeover|release), at"
                                    + " least 16 characters; set it through the environment"
                                    + " (HOTBACKUP_HTTP_TOKEN). The status page and JSON are"
                                    + " read-only and need no token.");

    public static final Key<Integer> OBSERVE_PORT =
            declare(Key.port("hotbackup.http.observe-port", 9876, null), Section.HTTP)
                    .of(Feature.HTTP)
                    .doc(
                            "Port of /observe/health (with the hotbackup check) and"
                                    + " /observe/metrics (Prometheus).");

    // ---- routes ---------------------------------------------------------------------------------

    public static final Key<Dsl> DSL =
            declare(Key.choice("hotbackup.dsl", "yaml", Dsl.class), Section.ROUTES)
                    .doc(
                            "Which DSL the pack's own routes are loaded from (both are inside the"
                                    + " jar and behave the same): yaml or xml. Your own routes are"
                                    + " every *.yaml (such as *.camel.yaml) and *.xml file in routes/"
                                    + " (camel.main.routes-include-pattern).");

    // ---- checks ---------------------------------------------------------------------------------

    public static final Key<UnknownKeys> UNKNOWN_KEYS =
            declare(
                            Key.choice("hotbackup.unknown-keys", "refuse", UnknownKeys.class),
                            Section.CHECKS)
                    .doc(
                            "A key under hotbackup. that the pack does not know (a typo such as"
                                    + " hotbackup.listner.port) refuses the start, naming the"
                                    + " closest known key. warn: log it and start anyway.");

    private Keys() {}

    private static <T> Key<T> declare(Key<T> key, Section section) {
        DECLARED.add(key);
        return key.in(section);
    }

    /** The declared key named {@code name} (not a pattern), or {@code null}. */
    public static Key<?> named(String name) {
        for (Key<?> k : ALL) {
            if (!k.isPattern() && k.name().equals(name)) {
                return k;
            }
        }
        return null;
    }

    /** A {@code host/config} monitored host; {@code *} stands for any run of characters. */
    static String pair(String value) {
        int slash = value.lastIndexOf('/');
        if (slash <= 0 || slash == value.length() - 1) {
            throw new IllegalArgumentException(
                    "'" + value + "' is not host/config (for example serverA/base)");
        }
        return value;
    }

    private static String routeId(String value) {
        if (value.contains(" ")) {
            throw new IllegalArgumentException(
                    "'" + value + "' is not a route id: separate route ids with commas");
        }
        return value;
    }

    private static String protocol(String value) {
        if (!value.equals("TLSv1.2") && !value.equals("TLSv1.3")) {
            throw new IllegalArgumentException("'" + value + "': use TLSv1.2 and/or TLSv1.3");
        }
        return value;
    }
}
