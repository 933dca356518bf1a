package dev.hotbackup.operate;

import dev.hotbackup.activity.Json;
import dev.hotbackup.config.HotBackupSettings;
import dev.hotbackup.emitter.HeartbeatEmitter;
import dev.hotbackup.group.GroupMember;
import dev.hotbackup.link.jdbc.HeartbeatTable;
import dev.hotbackup.link.jdbc.PairRole;
import dev.hotbackup.monitor.MonitorKey;
import dev.hotbackup.monitor.MonitorRegistry;
import dev.hotbackup.takeover.TakeoverPlan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

/**
 * Whether this instance runs a given host's routes now: the answer of {@code GET
 * /hotbackup/active/{host}}, 200 here and 503 on every other instance, so that a load balancer's
 * health check sends the clients of that host to whichever instance serves them (docs/clients.md).
 *
 * <p>"Runs H's routes" by mode:
 *
 * <ul>
 *   <li>H is this instance, a live host: it heartbeats (it has not sent CLOSE) and the routes under
 *       its own lease ({@code hotbackup.arbiter.routes}) run; without a backup-location, whenever
 *       it is up; a full backup ({@code -b}) only once it took over.
 *   <li>H is a host this instance monitors: H is taken over here and every takeover route of H runs
 *       (with an arbiter, under H's lease).
 *   <li>Roles from the heartbeat table ({@code hotbackup.role=auto}): either member's name stands
 *       for the pair's routes, which run on the primary only.
 *   <li>A group: H's work in the processing map runs on this member; the group's name, or a member
 *       without work of its own (active-standby), stands for the master role.
 * </ul>
 *
 * Always 503 until Camel has fully started. A name this instance knows nothing about gets 404.
 */
public final class ActiveHost {

    /** The header the route's path parameter arrives in. */
    static final String NAME = "activeHost";

    /** One answer: the HTTP status, and why, for people reading the check's body. */
    public record Answer(int status, String name, String instance, String why) {
        public boolean active() {
            return status == 200;
        }

        String json() {
            return Json.write(
                    Json.object(
                            "name", name, "instance", instance, "active", active(), "why", why));
        }
    }

    private final HotBackupStatus status;
    private final CamelContext camelContext;

    public ActiveHost(HotBackupStatus status, CamelContext camelContext) {
        this.status = status;
        this.camelContext = camelContext;
    }

    /** Answers the active-api route: status code, JSON body, never cached. */
    public void http(Exchange exchange) {
        String name = exchange.getIn().getHeader(NAME, String.class);
        String config = exchange.getIn().getHeader("config", String.class);
        Answer a = of(name, config == null || config.isBlank() ? null : config);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(a.json());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, a.status());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getMessage().setHeader("Cache-Control", "no-store");
    }

    /**
     * Whether this instance runs {@code name}'s routes now.
     *
     * @param config only that configuration of a monitored host, or {@code null} for any
     */
    public Answer of(String name, String config) {
        HotBackupSettings s = status.settings();
        if (name == null || name.isBlank()) {
            return new Answer(404, name, s.host, "no host named: ask /hotbackup/active/<host>");
        }
        GroupMember group = status.group();
        GroupMember.View view = group == null ? null : group.view();
        boolean own = name.equals(s.host) && (config == null || config.equals(s.config));
        List<MonitorKey> watched = watched(name, config);
        if (view != null ? !inGroup(view, name) : !own && watched.isEmpty()) {
            return unknown(view, name, config);
        }
        if (!camelContext.getStatus().isStarted()) {
            return no(
                    name,
                    "this instance is " + camelContext.getStatus().name().toLowerCase(Locale.ROOT));
        }
        if (view != null) {
            return group(view, name);
        }
        HeartbeatTable table = status.link();
        PairRole pair = table == null ? null : table.pair();
        if (pair != null) {
            return pair(pair, name);
        }
        return own ? own(name) : takenOver(name, watched);
    }

    private static boolean inGroup(GroupMember.View v, String name) {
        return name.equals(v.name()) || v.members().stream().anyMatch(m -> m.host().equals(name));
    }

    private Answer own(String name) {
        HotBackupSettings s = status.settings();
        if (s.backup) {
            Set<MonitorKey> taken = status.plan() == null ? Set.of() : status.plan().takenOver();
            if (taken.isEmpty()) {
                return no(name, "a full backup that has not taken over: it runs nothing");
            }
            return allRun(name, s.takeoverRoutes, "a full backup that took over " + taken);
        }
        HeartbeatEmitter emitter = status.emitter();
        if (emitter != null && !emitter.isEmitting()) {
            return no(name, "sends no heartbeat (stopping, or it sent CLOSE): its backup may run");
        }
        if (!s.arbiterRoutes.isEmpty()) {
            return allRun(name, s.arbiterRoutes, "holds its own lease");
        }
        return yes(
                name,
                emitter == null
                        ? "runs its own routes (it sends no heartbeats: no backup runs them)"
                        : s.backupLocation.isEmpty()
                                ? "the live host: it heartbeats through the heartbeat table"
                                : "the live host: it heartbeats to " + s.backupLocation);
    }

    private Answer takenOver(String name, List<MonitorKey> watched) {
        TakeoverPlan plan = status.plan();
        MonitorRegistry monitors = status.monitors();
        Set<MonitorKey> taken = plan.takenOver();
        List<String> why = new ArrayList<>();
        for (MonitorKey k : watched) {
            if (!taken.contains(k)) {
                why.add(k + " is " + monitors.stateOf(k.host(), k.config()) + ", not taken over");
                continue;
            }
            Answer a = allRun(name, plan.routesFor(k), "took over " + k);
            if (a.active()) {
                return a;
            }
            why.add(a.why());
        }
        if (!plan.waitingForLease().isEmpty()) {
            why.add("waiting for the lease of " + plan.waitingForLease());
        }
        return no(name, String.join("; ", why));
    }

    private Answer pair(PairRole pair, String name) {
        HotBackupSettings s = status.settings();
        if (pair.current() != PairRole.Role.PRIMARY) {
            return no(name, "the standby of pair " + s.config + ": the primary runs its routes");
        }
        return allRun(name, s.takeoverRoutes, "the primary of pair " + s.config);
    }

    private Answer group(GroupMember.View v, String name) {
        String me = v.me();
        // a member's own work, else (the group's name, a member without work) the master role
        GroupMember.UnitView unit =
                v.map().stream()
                        .filter(u -> name.equals(u.member()))
                        .findFirst()
                        .orElseGet(
                                () ->
                                        v.map().stream()
                                                .filter(u -> u.member() == null)
                                                .findFirst()
                                                .orElse(null));
        if (unit == null) {
            return no(name, "group " + v.name() + " has no work of " + name + " to run");
        }
        if (!me.equals(unit.runsOn())) {
            return no(
                    name,
                    unit.id()
                            + " of group "
                            + v.name()
                            + " runs on "
                            + (unit.runsOn() == null ? "no member now" : unit.runsOn()));
        }
        return allRun(name, unit.routes(), unit.id() + " of group " + v.name() + " runs here");
    }

    /** Active when there are routes and each of them is started here. */
    private Answer allRun(String name, Collection<String> routes, String because) {
        if (routes.isEmpty()) {
            return no(name, because + ", but there are no routes to run");
        }
        List<String> notRunning = new ArrayList<>();
        for (String r : routes) {
            String st = status.routeStatus(r);
            if (!st.equals("Started")) {
                notRunning.add(r + " " + st);
            }
        }
        if (!notRunning.isEmpty()) {
            return no(name, because + ", but not every route runs: " + notRunning);
        }
        return yes(name, because + "; running " + routes);
    }

    private List<MonitorKey> watched(String name, String config) {
        MonitorRegistry monitors = status.monitors();
        if (monitors == null) {
            return List.of();
        }
        return monitors.keys().stream()
                .filter(k -> k.host().equals(name) && (config == null || k.config().equals(config)))
                .sorted((a, b) -> a.toString().compareTo(b.toString()))
                .toList();
    }

    private Answer unknown(GroupMember.View group, String name, String config) {
        HotBackupSettings s = status.settings();
        if (group != null) {
            List<String> known = new ArrayList<>();
            known.add(group.name());
            group.members().forEach(m -> known.add(m.host()));
            return new Answer(
                    404,
                    name,
                    s.host,
                    name
                            + " is neither group "
                            + group.name()
                            + " nor one of its members "
                            + known);
        }
        Set<String> known = new TreeSet<>();
        if (status.monitors() != null) {
            status.monitors().keys().forEach(k -> known.add(k.toString()));
        }
        return new Answer(
                404,
                name,
                s.host,
                (config == null ? name : name + "/" + config)
                        + " is neither this instance ("
                        + s.host
                        + "/"
                        + s.config
                        + ") nor a host it monitors "
                        + known);
    }

    private Answer yes(String name, String why) {
        return new Answer(200, name, status.settings().host, why);
    }

    private Answer no(String name, String why) {
        return new Answer(503, name, status.settings().host, why);
    }
}
