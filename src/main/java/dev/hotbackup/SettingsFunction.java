package dev.hotbackup;

import dev.hotbackup.config.Durations;
import dev.hotbackup.config.HotBackupSettings;
import dev.hotbackup.config.SettingsLoader;
import dev.hotbackup.routes.PackRoute;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.spi.PropertiesFunction;

/**
 * The values the pack's route files and {@code hotbackup/camel.properties} need that are computed
 * from several keys, written {@code {{hotbackup:name}}}; every other value is a plain placeholder
 * of its key ({@code {{hotbackup.listener.threshold}}}), whose default the settings provide.
 *
 * <ul>
 *   <li>{@code route:<id>}: whether this instance needs the pack's route {@code id} (the route's
 *       {@code precondition});
 *   <li>{@code listener-address}: {@code bind-address:port} of the Backup listener;
 *   <li>{@code heartbeat-interval}: time between heartbeats on the link in use;
 *   <li>{@code mail-uri}: the SMTP endpoint from {@code hotbackup.mail.*}, with credentials only
 *       when a user name is set; {@code mail-enabled}: whether signals are mailed;
 *   <li>{@code takeover-on-close}: {@code true} or {@code false}, in lower case for XPath;
 *   <li>{@code tls-client-auth}: whether the listener asks for client certificates;
 *   <li>{@code signals-to}, {@code signals-to-enabled}: the user's signal endpoint, or a harmless
 *       one when none is set;
 *   <li>{@code user-routes}: the user's route files, {@code routes/*.yaml} (which includes {@code
 *       *.camel.yaml}) and {@code routes/*.xml}, or none when there is no {@code routes/} folder
 *       (Camel would fail on it);
 *   <li>{@code http-enabled}, {@code http-port}, {@code http-bind-address}, {@code observe-port}:
 *       the embedded HTTP servers, which camel-main configures before the pack's configuration
 *       class runs (so this function reads the settings itself the first time).
 * </ul>
 */
public final class SettingsFunction implements PropertiesFunction, CamelContextAware {

    private CamelContext camelContext;

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public String getName() {
        return "hotbackup";
    }

    @Override
    public String apply(String remainder) {
        HotBackupSettings s = SettingsLoader.get(camelContext);
        if (remainder.startsWith("route:")) {
            PackRoute route = PackRoute.of(remainder.substring("route:".length()));
            if (route == null) {
                throw new IllegalArgumentException(
                        "Unknown pack route {{hotbackup:" + remainder + "}}");
            }
            return Boolean.toString(needs(s, route));
        }
        return switch (remainder) {
            case "listener-address" -> s.listenerBindAddress + ":" + s.listenerPort;
            case "heartbeat-interval" -> Durations.format(s.effectiveHeartbeatInterval());
            case "mail-uri" -> mailUri(s);
            case "mail-enabled" -> Boolean.toString(s.mailEnabled());
            case "takeover-on-close" -> Boolean.toString(s.takeoverOnClose);
            case "tls-client-auth" -> Boolean.toString(s.tls && s.tlsClientAuth);
            case "signals-to-enabled" -> Boolean.toString(!s.signalsTo.isEmpty());
            // a valid endpoint even when unset: the route's filter never sends to it then
            case "signals-to" ->
                    s.signalsTo.isEmpty() ? "direct:hotbackup-no-signals-to" : s.signalsTo;
            case "http-enabled" -> Boolean.toString(s.httpEnabled);
            case "http-port" -> Integer.toString(s.httpPort);
            case "http-bind-address" -> s.httpBindAddress;
            case "observe-port" -> Integer.toString(s.observePort);
            case "user-routes" -> userRoutes();
            default ->
                    throw new IllegalArgumentException(
                            "Unknown value {{hotbackup:" + remainder + "}}");
        };
    }

    /** How the user's route files in routes/ end; every other file there is not read. */
    private static final List<String> ROUTE_FILE_ENDINGS = List.of(".yaml", ".xml");

    /** Which files in routes/ are read, for messages about the others. */
    static final String ROUTE_FILES =
            "route files are read from routes/ itself and end in "
                    + String.join(" or ", ROUTE_FILE_ENDINGS);

    /** The user's route files, if the working directory has a routes/ folder. */
    static String userRoutes() {
        return Files.isDirectory(Path.of(USER_ROUTES))
                ? ROUTE_FILE_ENDINGS.stream()
                        .map(ending -> "file:" + USER_ROUTES + "/*" + ending)
                        .collect(Collectors.joining(","))
                // a pattern that matches nothing: camel-main cannot be told 'no routes'
                : "classpath:hotbackup/no-user-routes/*.camel.yaml";
    }

    /**
     * What is in routes/ but not read as routes: files not named {@code *.yaml} or {@code *.xml}
     * ({@code orders.yml}, {@code orders.java}) and folders (only routes/ itself is read), as
     * {@code routes/orders.yml} and {@code routes/local/}; hidden files aside. Empty without
     * routes/.
     */
    static List<String> unreadRouteFiles() {
        Path dir = Path.of(USER_ROUTES);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(SettingsFunction::unread).filter(Objects::nonNull).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String unread(Path entry) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".")) {
            return null;
        }
        if (Files.isDirectory(entry)) {
            return USER_ROUTES + "/" + name + "/";
        }
        return ROUTE_FILE_ENDINGS.stream().anyMatch(name::endsWith)
                ? null
                : USER_ROUTES + "/" + name;
    }

    /** The folder of the user's own routes, in the working directory. */
    static final String USER_ROUTES = "routes";

    /** Whether this instance needs the pack's route. */
    static boolean needs(HotBackupSettings s, PackRoute route) {
        return switch (route) {
            case HEARTBEAT_EMITTER -> s.emitterEnabled();
            case BACKUP_LISTENER -> s.listenerEnabled() && !s.databaseLink();
            case HEARTBEAT_READER -> s.listenerEnabled() && s.databaseLink();
            case SILENCE_TIMER, RECONFIRM, SIGNAL_ROUTER -> s.listenerEnabled();
            case SIGNAL_MAIL -> (s.listenerEnabled() || s.guardsLeases()) && s.mailEnabled();
            case STATUS_API, ACTIVE_API, STATUS_PAGE -> s.httpEnabled;
            case OPERATOR_API -> s.httpEnabled && s.listenerEnabled();
            case GROUP_API -> s.httpEnabled && s.group != null;
        };
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
}
