package dev.hotbackup.routes;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pack's own routes. Each is defined once, as the route template {@link #template()} in {@code
 * hotbackup/templates/} inside the jar, and instantiated under its {@link #id()} by {@code
 * hotbackup/routes.camel.yaml} (or its XML twin): the id serves controlbus, tests and logs.
 */
public enum PackRoute {
    BACKUP_LISTENER("backup-listener"),
    HEARTBEAT_READER("heartbeat-reader"),
    SILENCE_TIMER("silence-timer"),
    RECONFIRM("reconfirm"),
    SIGNAL_ROUTER("signal-router"),
    SIGNAL_MAIL("signal-mail"),
    HEARTBEAT_EMITTER("heartbeat-emitter"),
    STATUS_API("status-api"),
    ACTIVE_API("active-api"),
    STATUS_PAGE("status-page"),
    OPERATOR_API("operator-api"),
    GROUP_API("group-api");

    private static final Set<String> IDS =
            Arrays.stream(values()).map(PackRoute::id).collect(Collectors.toUnmodifiableSet());

    private final String id;

    PackRoute(String id) {
        this.id = id;
    }

    /** The route id. */
    public String id() {
        return id;
    }

    /** The id of the route template that defines it. */
    public String template() {
        return "hotbackup-" + id;
    }

    /** Whether {@code routeId} is one of the pack's own routes. */
    public static boolean isPackRoute(String routeId) {
        return IDS.contains(routeId);
    }

    /** The pack's route with this id, or {@code null}. */
    public static PackRoute of(String routeId) {
        for (PackRoute r : values()) {
            if (r.id.equals(routeId)) {
                return r;
            }
        }
        return null;
    }
}
