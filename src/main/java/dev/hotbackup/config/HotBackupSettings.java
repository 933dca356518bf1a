package dev.hotbackup.config;

import dev.hotbackup.link.Names;
import dev.hotbackup.signal.MailTemplate;
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
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.camel.util.TimeUtils;

/**
 * Every {@code hotbackup.*} key of the contract, read once at start, checked, and given its
 * default. A bad value stops the start with one line per problem naming the key, the value and what
 * is expected. Secrets never appear in these messages nor in {@link #toString()}.
 */
public final class HotBackupSettings {

    /** Which DSL the pack's own routes are loaded from. */
    public enum Dsl {
        YAML,
        XML
    }

    public final String host;
    public final String config;
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

    /** Takeover routes of pairs that have their own list, by {@code host/config}. */
    public final Map<String, List<String>> takeoverRoutesFor;

    /** Mail recipients of pairs that have their own, by {@code host/config}. */
    public final Map<String, String> mailToFor;

    /** Mail subject and body templates by signal state ({@code LIVE}, {@code DEAD}, ...). */
    public final Map<String, String> mailSubject;

    public final Map<String, String> mailBody;

    /** Whether DEAD starts the takeover routes by itself, or waits for an operator. */
    public enum TakeoverMode {
        AUTO,
        MANUAL
    }

    public final TakeoverMode takeoverMode;

    public final boolean httpEnabled;
    public final int httpPort;
    public final String httpBindAddress;
    public final String httpToken;
    public final int observePort;

    private HotBackupSettings(Reader r, Set<String> names) {
        host = r.text("hotbackup.host", localHostName());
        config = r.text("hotbackup.config", "base");
        r.name("hotbackup.host", host);
        r.name("hotbackup.config", config);
        backup = r.bool("hotbackup.backup", false);
        backupLocation = r.list("hotbackup.backup-location", HostPort::parse);
        heartbeatInterval =
                r.duration(
                        "hotbackup.heartbeat-interval",
                        "100ms",
                        Duration.ofMillis(10),
                        Duration.ofMinutes(10));
        secret = r.text("hotbackup.secret", "");
        allowUnsigned = r.bool("hotbackup.allow-unsigned", false);
        stateDir = Path.of(r.text("hotbackup.state-dir", "data"));
        dsl = r.choice("hotbackup.dsl", "yaml", Dsl.class);

        probePort = r.port("hotbackup.probe.port", 0, true);
        probeBindAddress = r.text("hotbackup.probe.bind-address", "");

        listenerPort = r.port("hotbackup.listener.port", 0, false);
        String bind = r.text("hotbackup.listener.bind-address", "");
        listenerBindAddress = bind.isEmpty() ? "0.0.0.0" : bind;
        threshold =
                r.duration(
                        "hotbackup.listener.threshold",
                        "60s",
                        Duration.ofMillis(100),
                        Duration.ofDays(1));
        Duration derivedCheck = threshold.dividedBy(20);
        if (derivedCheck.compareTo(Duration.ofMillis(100)) > 0) {
            derivedCheck = Duration.ofMillis(100);
        }
        if (derivedCheck.compareTo(Duration.ofMillis(10)) < 0) {
            derivedCheck = Duration.ofMillis(10);
        }
        checkInterval =
                r.duration(
                        "hotbackup.listener.check-interval",
                        derivedCheck.toMillis() + "ms",
                        Duration.ofMillis(1),
                        threshold);
        Duration derivedProbe = threshold.dividedBy(4);
        if (derivedProbe.compareTo(Duration.ofSeconds(1)) > 0) {
            derivedProbe = Duration.ofSeconds(1);
        }
        probeTimeout =
                r.duration(
                        "hotbackup.listener.probe-timeout",
                        derivedProbe.toMillis() + "ms",
                        Duration.ofMillis(10),
                        threshold.dividedBy(2));
        probeOnDisconnect = r.bool("hotbackup.listener.probe-on-disconnect", true);
        retention =
                r.duration(
                        "hotbackup.listener.retention",
                        "24h",
                        Duration.ofSeconds(1),
                        Duration.ofDays(3650));
        whitespace =
                r.choice("hotbackup.listener.whitespace", "preserve", SignalXml.Whitespace.class);
        activityLog = r.bool("hotbackup.listener.activity-log", true);
        signalsTo = r.text("hotbackup.listener.signals-to", "");
        if (signalsTo.startsWith("seda:hotbackup-signals")) {
            r.problem(
                    "hotbackup.listener.signals-to",
                    "is the pack's own signal queue: use another endpoint (seda:my-signals)");
        }
        activityLogFile =
                Path.of(
                        r.text(
                                "hotbackup.listener.activity-log-file",
                                "logs/hotbackup-activity.log"));

        allow = r.list("hotbackup.listener.allow", HotBackupSettings::pair);
        expect = r.list("hotbackup.listener.expect", HotBackupSettings::pair);
        maxConnections = r.count("hotbackup.listener.max-connections", 512);
        maxConnectionsPerAddress = r.count("hotbackup.listener.max-connections-per-address", 32);
        maxBacklog = r.count("hotbackup.listener.max-backlog", 20_000);
        idleTimeout =
                r.duration(
                        "hotbackup.listener.idle-timeout",
                        "10s",
                        Duration.ofMillis(100),
                        Duration.ofDays(1));

        takeoverRoutes = r.list("hotbackup.takeover.routes", s -> s);
        takeoverOnClose = r.bool("hotbackup.takeover.on-close", true);
        failbackDelay =
                r.duration(
                        "hotbackup.takeover.failback-delay",
                        "0s",
                        Duration.ZERO,
                        Duration.ofDays(1));

        tls = r.bool("hotbackup.tls.enabled", false);
        tlsKeystore = r.text("hotbackup.tls.keystore", "");
        tlsKeystorePassword = r.text("hotbackup.tls.keystore-password", "");
        tlsTruststore = r.text("hotbackup.tls.truststore", "");
        tlsTruststorePassword = r.text("hotbackup.tls.truststore-password", "");
        tlsClientAuth =
                r.choice("hotbackup.tls.client-auth", "none", ClientAuth.class)
                        == ClientAuth.REQUIRE;
        tlsVerifyHostname = r.bool("hotbackup.tls.verify-hostname", true);
        List<String> protocols = r.list("hotbackup.tls.protocols", HotBackupSettings::protocol);
        tlsProtocols = protocols.isEmpty() ? List.of("TLSv1.3", "TLSv1.2") : protocols;
        if (tls && (tlsKeystore.isEmpty() || tlsTruststore.isEmpty())) {
            r.problem(
                    "hotbackup.tls.enabled",
                    "needs hotbackup.tls.keystore and hotbackup.tls.truststore (PKCS12 files)");
        }

        mailHost = r.text("hotbackup.mail.host", "");
        mailPort = r.port("hotbackup.mail.port", 25, false);
        mailUsername = r.text("hotbackup.mail.username", "");
        mailPassword = r.text("hotbackup.mail.password", "");
        mailFrom =
                r.text(
                        "hotbackup.mail.from",
                        "hotbackup@" + host.replaceAll("[^A-Za-z0-9.-]", "-"));
        mailTo = r.text("hotbackup.mail.to", "");
        mailRetries = r.count("hotbackup.mail.retries", 5);
        mailRetryDelay =
                r.duration("hotbackup.mail.retry-delay", "1s", Duration.ZERO, Duration.ofHours(1));
        mailTimeout =
                r.duration(
                        "hotbackup.mail.timeout",
                        "5s",
                        Duration.ofMillis(100),
                        Duration.ofMinutes(5));
        mailDeadLetterFile =
                Path.of(
                        r.text(
                                "hotbackup.mail.dead-letter-file",
                                "logs/hotbackup-mail-dead-letters.txt"));
        takeoverRoutesFor = new TreeMap<>();
        mailToFor = new TreeMap<>();
        for (String name : new TreeSet<>(names)) {
            if (name.startsWith(ROUTES_FOR)) {
                String pair = name.substring(ROUTES_FOR.length());
                if (r.isPair(name, pair)) {
                    takeoverRoutesFor.put(pair, r.list(name, x -> x));
                }
            } else if (name.startsWith(MAIL_TO_FOR)) {
                String pair = name.substring(MAIL_TO_FOR.length());
                if (r.isPair(name, pair)) {
                    mailToFor.put(pair, r.text(name, ""));
                }
            }
        }
        takeoverMode = r.choice("hotbackup.takeover.mode", "auto", TakeoverMode.class);
        mailSubject = new TreeMap<>();
        mailBody = new TreeMap<>();
        String subject = r.text("hotbackup.mail.subject", MailTemplate.SUBJECT);
        String body = r.text("hotbackup.mail.body", MailTemplate.BODY);
        for (String state : List.of("LIVE", "DEAD", "CLOSE")) {
            String lower = state.toLowerCase(Locale.ROOT);
            mailSubject.put(
                    state,
                    r.template("hotbackup.mail.subject." + lower, subject.replace("\\n", "\n")));
            mailBody.put(
                    state, r.template("hotbackup.mail.body." + lower, body.replace("\\n", "\n")));
        }

        httpEnabled = r.bool("hotbackup.http.enabled", listenerPort != 0);
        httpPort = r.port("hotbackup.http.port", 8080, true);
        String httpBind = r.text("hotbackup.http.bind-address", "");
        httpBindAddress = httpBind.isEmpty() ? "0.0.0.0" : httpBind;
        httpToken = r.text("hotbackup.http.token", "");
        observePort = r.port("hotbackup.http.observe-port", 9876, true);
        if (httpEnabled && observePort != 0 && observePort == httpPort) {
            r.problem(
                    "hotbackup.http.observe-port",
                    "must differ from hotbackup.http.port (Camel 4.18.0 ignores /observe on a shared"
                            + " port)");
        }
        if (!httpToken.isEmpty() && httpToken.length() < 16) {
            r.problem("hotbackup.http.token", "is shorter than 16 characters: too easy to guess");
        }

        if (!mailHost.isEmpty() && mailTo.isEmpty()) {
            r.problem("hotbackup.mail.to", "is required when hotbackup.mail.host is set");
        }
        if (backup && listenerPort == 0) {
            r.problem(
                    "hotbackup.backup",
                    "full-backup mode (-b) needs hotbackup.listener.port to hear the live host");
        }
        if (listenerPort != 0 && probePort != 0 && listenerPort == probePort) {
            r.problem("hotbackup.probe.port", "must differ from hotbackup.listener.port");
        }
        if (secret.isEmpty() && !allowUnsigned) {
            if (listenerPort != 0 && !isLoopback(listenerBindAddress)) {
                r.problem(
                        "hotbackup.secret",
                        "is not set, and the Backup listener on "
                                + listenerBindAddress
                                + " would obey anyone who reaches it: set the same"
                                + " hotbackup.secret on both hosts, or hotbackup.allow-unsigned=true"
                                + " on a network you trust");
            }
            if (!backupLocation.stream().allMatch(b -> isLoopback(b.host()))) {
                r.problem(
                        "hotbackup.secret",
                        "is not set, and heartbeats to "
                                + backupLocation
                                + " would be unauthenticated: set the same hotbackup.secret on"
                                + " both hosts, or hotbackup.allow-unsigned=true on a network you"
                                + " trust");
            }
        }
        r.failIfAny();
    }

    /**
     * Reads and checks the settings.
     *
     * @param lookup resolves a key to its configured value, or {@code null} when not set
     * @throws IllegalArgumentException listing every bad key
     */
    public static HotBackupSettings load(Function<String, String> lookup) {
        return load(lookup, Set.of());
    }

    /**
     * Reads and checks the settings, including the keys that name a pair ({@code
     * hotbackup.takeover.routes.<host>/<config>}, {@code hotbackup.mail.to.<host>/<config>}).
     *
     * @param names every configured key, to find those that name a pair
     */
    public static HotBackupSettings load(Function<String, String> lookup, Set<String> names) {
        return new HotBackupSettings(new Reader(lookup), names);
    }

    /** Prefix of the keys that give one pair its own takeover routes. */
    public static final String ROUTES_FOR = "hotbackup.takeover.routes.";

    /** Prefix of the keys that give one pair its own mail recipients. */
    public static final String MAIL_TO_FOR = "hotbackup.mail.to.";

    /** Every route id any pair is taken over with. */
    public Set<String> allTakeoverRoutes() {
        Set<String> all = new LinkedHashSet<>(takeoverRoutes);
        takeoverRoutesFor.values().forEach(all::addAll);
        return all;
    }

    /** Whether this instance runs a Backup listener. */
    public boolean listenerEnabled() {
        return listenerPort != 0;
    }

    /** Whether this instance emits heartbeats (possibly only after a takeover, in backup mode). */
    public boolean emitterEnabled() {
        return !backupLocation.isEmpty();
    }

    /** Whether signals are mailed. */
    public boolean mailEnabled() {
        return !mailHost.isEmpty();
    }

    @Override
    public String toString() {
        return "host="
                + host
                + ", config="
                + config
                + ", mode="
                + (backup ? "full backup" : "distributed")
                + ", backup-location="
                + backupLocation
                + ", listener="
                + (listenerEnabled() ? listenerBindAddress + ":" + listenerPort : "off")
                + ", threshold="
                + threshold.toMillis()
                + "ms, takeover.routes="
                + takeoverRoutes
                + ", secret="
                + (secret.isEmpty() ? "not set" : "set")
                + ", tls="
                + (tls ? "on" + (tlsClientAuth ? " (mutual)" : "") : "off")
                + (allow.isEmpty() ? "" : ", allow=" + allow)
                + (expect.isEmpty() ? "" : ", expect=" + expect)
                + (takeoverRoutesFor.isEmpty()
                        ? ""
                        : ", takeover.routes per pair=" + takeoverRoutesFor)
                + ", takeover.mode="
                + takeoverMode.name().toLowerCase(Locale.ROOT)
                + ", http="
                + (httpEnabled
                        ? httpBindAddress
                                + ":"
                                + httpPort
                                + (httpToken.isEmpty() ? " (operator actions off)" : "")
                        : "off")
                + ", mail="
                + (mailEnabled() ? mailHost + ":" + mailPort : "off");
    }

    /** Whether connections to or from {@code host} stay on this machine. */
    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (Exception e) {
            return false;
        }
    }

    /** A {@code host/config} pair; {@code *} stands for any run of characters. */
    private static String pair(String value) {
        int slash = value.lastIndexOf('/');
        if (slash <= 0 || slash == value.length() - 1) {
            throw new IllegalArgumentException("'" + value + "' is not host/config");
        }
        return value;
    }

    private static String protocol(String value) {
        if (!value.equals("TLSv1.2") && !value.equals("TLSv1.3")) {
            throw new IllegalArgumentException("'" + value + "': use TLSv1.2 and/or TLSv1.3");
        }
        return value;
    }

    /** Whether the TLS server asks the connecting side for a certificate. */
    public enum ClientAuth {
        NONE,
        REQUIRE
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
        private final List<String> problems = new ArrayList<>();

        Reader(Function<String, String> lookup) {
            this.lookup = lookup;
        }

        String text(String key, String def) {
            String v = lookup.apply(key);
            return v == null || v.isBlank() ? def : v.trim();
        }

        boolean isPair(String key, String pair) {
            int slash = pair.lastIndexOf('/');
            if (slash <= 0 || slash == pair.length() - 1) {
                problem(key, "must end in <host>/<config>, for example " + key + "serverA/base");
                return false;
            }
            return true;
        }

        String template(String key, String def) {
            String v = lookup.apply(key);
            String t = v == null || v.isBlank() ? def : v.replace("\\n", "\n");
            String problem = MailTemplate.problem(t);
            if (problem != null) {
                problem(key, problem);
            }
            return t;
        }

        void name(String key, String value) {
            String problem = Names.problem(value);
            if (problem != null) {
                problem(key, problem);
            }
        }

        boolean bool(String key, boolean def) {
            String v = text(key, Boolean.toString(def)).toLowerCase(Locale.ROOT);
            if (v.equals("true") || v.equals("false")) {
                return Boolean.parseBoolean(v);
            }
            problem(key, "'" + v + "' is not true or false");
            return def;
        }

        int port(String key, int def, boolean zeroAllowed) {
            String v = text(key, Integer.toString(def));
            try {
                int p = Integer.parseInt(v);
                if ((p == 0 && (zeroAllowed || def == 0)) || (p >= 1 && p <= 65535)) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problem(
                    key,
                    "'"
                            + v
                            + "' is not a port number (1-65535"
                            + (zeroAllowed ? ", or 0 for any free port" : "")
                            + ")");
            return def;
        }

        Duration duration(String key, String def, Duration min, Duration max) {
            String v = text(key, def);
            Duration d;
            try {
                d = Duration.ofMillis(TimeUtils.toMilliSeconds(v));
            } catch (RuntimeException e) {
                problem(key, "'" + v + "' is not a duration (write 100ms, 2s, 60s or 5m)");
                return Duration.ofMillis(TimeUtils.toMilliSeconds(def));
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                problem(
                        key,
                        "'"
                                + v
                                + "' must be between "
                                + min.toMillis()
                                + "ms and "
                                + max.toMillis()
                                + "ms");
            }
            return d;
        }

        int count(String key, int def) {
            String v = text(key, Integer.toString(def));
            try {
                int n = Integer.parseInt(v);
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problem(key, "'" + v + "' is not a whole number of 0 or more");
            return def;
        }

        <E extends Enum<E>> E choice(String key, String def, Class<E> type) {
            String v = text(key, def);
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(v)) {
                    return e;
                }
            }
            List<String> allowed = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                allowed.add(e.name().toLowerCase(Locale.ROOT));
            }
            problem(key, "'" + v + "' is not one of " + allowed);
            return Enum.valueOf(type, def.toUpperCase(Locale.ROOT));
        }

        <T> List<T> list(String key, Function<String, T> parse) {
            List<T> out = new ArrayList<>();
            for (String part : text(key, "").split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    out.add(parse.apply(part.trim()));
                } catch (IllegalArgumentException e) {
                    problem(key, e.getMessage());
                }
            }
            return List.copyOf(out);
        }

        void problem(String key, String what) {
            problems.add(key + ": " + what);
        }

        void failIfAny() {
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(
                        "Invalid hot backup configuration:\n  - "
                                + String.join("\n  - ", problems));
            }
        }
    }
}
