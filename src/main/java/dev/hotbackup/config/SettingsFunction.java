package dev.hotbackup.config;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.spi.PropertiesFunction;

/**
 * Values the pack's route files need that are computed from the contract keys, written {@code
 * {{hotbackup:name}}} in the DSL:
 *
 * <ul>
 *   <li>{@code listener-address}: {@code bind-address:port} of the Backup listener (an empty bind
 *       address means all interfaces);
 *   <li>{@code threshold}, {@code check-interval}, {@code heartbeat-interval}, {@code
 *       mail-retry-delay}: the checked durations, in ms, with their defaults;
 *   <li>{@code mail-retries}: how often a failed mail is tried again;
 *   <li>{@code takeover-on-close}: {@code true} or {@code false}, normalised for XPath;
 *   <li>{@code mail-enabled}: whether signals are mailed;
 *   <li>{@code tls-enabled}, {@code tls-client-auth}: the Backup listener's TLS options;
 *   <li>{@code mail-uri}: the SMTP endpoint from {@code hotbackup.mail.*}, with credentials only
 *       when a user name is set;
 *   <li>{@code http-enabled}, {@code http-port}, {@code http-bind-address}, {@code observe-port}:
 *       the embedded HTTP servers (camel.server.* and camel.management.*);
 *   <li>{@code route:<id>}: whether this instance needs the pack's route {@code id} (used as the
 *       route's {@code precondition}).
 * </ul>
 */
public final class SettingsFunction implements PropertiesFunction, CamelContextAware {

    private volatile HotBackupSettings s;
    private CamelContext camelContext;

    public SettingsFunction(HotBackupSettings settings) {
        this.s = settings;
    }

    /**
     * Found by Camel through {@code
     * META-INF/services/org/apache/camel/properties-function/hotbackup} when camel-main binds
     * {@code camel.server.*} and {@code camel.management.*}, before {@link HotBackupConfiguration}
     * has run: reads the settings itself, once.
     */
    public SettingsFunction() {
        this.s = null;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    private HotBackupSettings settings() {
        HotBackupSettings current = s;
        if (current == null) {
            current = HotBackupConfiguration.load(camelContext.getPropertiesComponent());
            s = current;
        }
        return current;
    }

    @Override
    public String getName() {
        return "hotbackup";
    }

    @Override
    public String apply(String remainder) {
        HotBackupSettings s = settings();
        switch (remainder) {
            case "listener-address":
                return s.listenerBindAddress + ":" + s.listenerPort;
            case "check-interval":
                return Long.toString(s.checkInterval.toMillis());
            case "threshold":
                return Long.toString(s.threshold.toMillis());
            case "heartbeat-interval":
                return Long.toString(s.heartbeatInterval.toMillis());
            case "mail-retries":
                return Integer.toString(s.mailRetries);
            case "mail-retry-delay":
                return Long.toString(s.mailRetryDelay.toMillis());
            case "takeover-on-close":
                return Boolean.toString(s.takeoverOnClose);
            case "mail-enabled":
                return Boolean.toString(s.mailEnabled());
            case "mail-uri":
                return mailUri(s);
            case "tls-enabled":
                return Boolean.toString(s.tls);
            case "tls-client-auth":
                return Boolean.toString(s.tls && s.tlsClientAuth);
            case "http-enabled":
                return Boolean.toString(s.httpEnabled);
            case "http-port":
                return Integer.toString(s.httpPort);
            case "http-bind-address":
                return s.httpBindAddress;
            case "signals-to-enabled":
                return Boolean.toString(!s.signalsTo.isEmpty());
            case "signals-to":
                // a valid endpoint even when unset: the route's filter never sends to it then
                return s.signalsTo.isEmpty() ? "direct:hotbackup-no-signals-to" : s.signalsTo;
            case "observe-port":
                return Integer.toString(s.observePort);
            default:
                if (remainder.startsWith("route:")) {
                    return Boolean.toString(loads(s, remainder.substring("route:".length())));
                }
                throw new IllegalArgumentException("Unknown value {{hotbackup:" + remainder + "}}");
        }
    }

    private static String mailUri(HotBackupSettings s) {
        StringBuilder uri =
                new StringBuilder("smtp://")
                        .append(s.mailHost)
                        .append(':')
                        .append(s.mailPort)
                        .append("?connectionTimeout=")
                        .append(s.mailTimeout.toMillis())
                        .append("&from=")
                        .append(raw(s.mailFrom))
                        .append("&to=")
                        .append(raw(s.mailTo));
        if (!s.mailUsername.isEmpty()) {
            uri.append("&username=").append(raw(s.mailUsername));
            uri.append("&password=").append(raw(s.mailPassword));
        }
        return uri.toString();
    }

    /** Camel's raw form, so that no character of the value is taken as URI syntax. */
    private static String raw(String value) {
        return value.contains(")") ? "RAW{" + value + "}" : "RAW(" + value + ")";
    }

    private static boolean loads(HotBackupSettings s, String route) {
        return switch (route) {
            case "heartbeat-emitter" -> s.emitterEnabled();
            case "backup-listener", "reconfirm", "signal-router" -> s.listenerEnabled();
            case "signal-mail" -> s.listenerEnabled() && s.mailEnabled();
            case "status-api", "status-page" -> s.httpEnabled;
            case "operator-api" -> s.httpEnabled && s.listenerEnabled();
            default -> throw new IllegalArgumentException("Unknown pack route " + route);
        };
    }
}
