package dev.hotbackup.config;

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
 *   <li>{@code route:<id>}: whether this instance needs the pack's route {@code id} (used as the
 *       route's {@code precondition}).
 * </ul>
 */
public final class SettingsFunction implements PropertiesFunction {

    private final HotBackupSettings s;

    public SettingsFunction(HotBackupSettings settings) {
        this.s = settings;
    }

    @Override
    public String getName() {
        return "hotbackup";
    }

    @Override
    public String apply(String remainder) {
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
                return mailUri();
            case "tls-enabled":
                return Boolean.toString(s.tls);
            case "tls-client-auth":
                return Boolean.toString(s.tls && s.tlsClientAuth);
            default:
                if (remainder.startsWith("route:")) {
                    return Boolean.toString(loads(remainder.substring("route:".length())));
                }
                throw new IllegalArgumentException("Unknown value {{hotbackup:" + remainder + "}}");
        }
    }

    private String mailUri() {
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

    private boolean loads(String route) {
        return switch (route) {
            case "heartbeat-emitter" -> s.emitterEnabled();
            case "backup-listener", "reconfirm", "signal-router" -> s.listenerEnabled();
            case "signal-mail" -> s.listenerEnabled() && s.mailEnabled();
            default -> throw new IllegalArgumentException("Unknown pack route " + route);
        };
    }
}
