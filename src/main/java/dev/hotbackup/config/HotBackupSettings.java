package dev.hotbackup.config;

import dev.hotbackup.link.Names;
import dev.hotbackup.signal.SignalXml;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    public final SignalXml.Whitespace whitespace;
    public final boolean activityLog;
    public final Path activityLogFile;

    public final List<String> takeoverRoutes;
    public final boolean takeoverOnClose;

    public final String mailHost;
    public final int mailPort;
    public final String mailUsername;
    public final String mailPassword;
    public final String mailFrom;
    public final String mailTo;

    private HotBackupSettings(Reader r) {
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
        probeTimeout =
                r.duration(
                        "hotbackup.listener.probe-timeout",
                        "200ms",
                        Duration.ofMillis(10),
                        threshold);
        whitespace =
                r.choice("hotbackup.listener.whitespace", "preserve", SignalXml.Whitespace.class);
        activityLog = r.bool("hotbackup.listener.activity-log", true);
        activityLogFile =
                Path.of(
                        r.text(
                                "hotbackup.listener.activity-log-file",
                                "logs/hotbackup-activity.log"));

        takeoverRoutes = r.list("hotbackup.takeover.routes", s -> s);
        takeoverOnClose = r.bool("hotbackup.takeover.on-close", true);

        mailHost = r.text("hotbackup.mail.host", "");
        mailPort = r.port("hotbackup.mail.port", 25, false);
        mailUsername = r.text("hotbackup.mail.username", "");
        mailPassword = r.text("hotbackup.mail.password", "");
        mailFrom =
                r.text(
                        "hotbackup.mail.from",
                        "hotbackup@" + host.replaceAll("[^A-Za-z0-9.-]", "-"));
        mailTo = r.text("hotbackup.mail.to", "");
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
        r.failIfAny();
    }

    /**
     * Reads and checks the settings.
     *
     * @param lookup resolves a key to its configured value, or {@code null} when not set
     * @throws IllegalArgumentException listing every bad key
     */
    public static HotBackupSettings load(Function<String, String> lookup) {
        return new HotBackupSettings(new Reader(lookup));
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
                + ", mail="
                + (mailEnabled() ? mailHost + ":" + mailPort : "off");
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
