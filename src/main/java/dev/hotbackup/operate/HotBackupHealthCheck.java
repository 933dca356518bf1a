package dev.hotbackup.operate;

import dev.hotbackup.arbiter.LeaseKeeper;
import dev.hotbackup.arbiter.LeaseState;
import dev.hotbackup.emitter.HeartbeatEmitter;
import dev.hotbackup.group.GroupMember;
import dev.hotbackup.link.jdbc.ConfigBackup;
import dev.hotbackup.link.jdbc.HeartbeatTable;
import dev.hotbackup.monitor.MonitorKey;
import dev.hotbackup.monitor.MonitorRegistry;
import dev.hotbackup.monitor.MonitorView;
import dev.hotbackup.routes.PackRoute;
import dev.hotbackup.takeover.TakeoverPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The {@code hotbackup} check of {@code /observe/health}: UP whenever this instance does what its
 * role requires, DOWN with the reason when it cannot. Takeover routes are judged here, not by
 * Camel's own route checks (which would call every stopped standby route DOWN): stopped while the
 * host they belong to is alive is by design and only a detail; stopped while that host is DEAD and
 * taken over here is DOWN.
 *
 * <ul>
 *   <li>DOWN: one of the pack's routes this instance needs is not running (the Backup listener,
 *       reconfirm, signal router or mail route where a listener runs); the heartbeat emitter of a
 *       live host (or of a full backup that took over) is not running; a takeover route is not
 *       running while the DEAD host it belongs to is taken over here.
 *   <li>UP with {@code degraded=true}: heartbeats do not reach every backup (restarting the live
 *       host would not help), or a takeover route runs here although the host it belongs to is
 *       alive.
 * </ul>
 *
 * Details list the role, each monitored host's state and each takeover route's status here.
 */
public final class HotBackupHealthCheck extends AbstractHealthCheck {

    private final HotBackupStatus status;
    private final List<String> required;

    /**
     * @param required the pack's routes this instance needs, apart from the heartbeat emitter
     */
    public HotBackupHealthCheck(HotBackupStatus status, List<String> required) {
        super("hotbackup", "hotbackup");
        this.status = status;
        this.required = List.copyOf(required);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("role", status.role());
        builder.detail(
                "takeover.mode", status.settings().takeoverMode.name().toLowerCase(Locale.ROOT));
        List<String> problems = new ArrayList<>();
        List<String> degraded = new ArrayList<>();
        for (String route : required) {
            String st = status.routeStatus(route);
            builder.detail("route." + route, st);
            if (!"Started".equals(st)) {
                problems.add(route + " is " + st);
            }
        }
        MonitorRegistry monitors = status.monitors();
        if (monitors != null) {
            for (MonitorView v : monitors.views()) {
                builder.detail("monitor." + v.key(), v.summary());
            }
        }
        TakeoverPlan plan = status.plan();
        if (plan != null) {
            takeoverRoutes(builder, plan, problems, degraded);
        }
        HeartbeatEmitter emitter = status.emitter();
        if (emitter != null) {
            String id = PackRoute.HEARTBEAT_EMITTER.id();
            String st = status.routeStatus(id);
            builder.detail("route." + id, st);
            boolean shouldRun = !status.settings().backup || status.role().contains("takeover");
            if (shouldRun && !"Started".equals(st)) {
                problems.add(id + " is " + st);
            }
            if (emitter.isEmitting()) {
                Map<String, String> unreachable = emitter.unreachable();
                builder.detail("backup.reachable", unreachable.isEmpty());
                if (!unreachable.isEmpty()) {
                    degraded.add("heartbeats do not reach every backup");
                    builder.detail("backup.unreachable", unreachable.toString());
                }
            }
        }
        HeartbeatTable table = status.link();
        if (table != null && status.monitors() != null) {
            String error = table.readError();
            builder.detail("link.readable", error == null);
            if (error != null) {
                degraded.add("the heartbeat table cannot be read: " + error);
            }
            if (table.pair() != null) {
                builder.detail("pair.role", table.pair().current().name().toLowerCase(Locale.ROOT));
            }
        }
        ConfigBackup copy = status.configBackup();
        if (copy != null) {
            // a drift is for people to look at (activity log, mail, status page), not a fault
            builder.detail("config.drift", copy.drift() == null ? "unknown" : copy.drift());
        }
        LeaseKeeper leases = status.leases();
        if (leases != null) {
            arbiter(builder, leases, degraded);
        }
        GroupMember group = status.group();
        if (group != null) {
            group(builder, group, problems, degraded);
        }
        builder.detail("degraded", !degraded.isEmpty());
        if (!problems.isEmpty()) {
            builder.message(String.join("; ", problems));
            builder.down();
        } else {
            if (!degraded.isEmpty()) {
                builder.message(String.join("; ", degraded));
            }
            builder.up();
        }
    }

    /**
     * A member runs exactly the units whose leases it holds: a route of one of them that is not
     * running (some seconds after the grant) is DOWN; a route of a unit that runs elsewhere but
     * still runs here is degraded (its gate refuses every exchange meanwhile).
     */
    private void group(
            HealthCheckResultBuilder builder,
            GroupMember group,
            List<String> problems,
            List<String> degraded) {
        GroupMember.View v = group.view();
        builder.detail("group", v.name() + " (" + v.mode() + "), master " + v.master());
        for (GroupMember.UnitView u : v.map()) {
            boolean here = v.me().equals(u.runsOn());
            builder.detail(
                    "group." + u.id(),
                    u.runsOn() == null
                            ? "nobody runs it"
                            : (here ? "runs here" : "runs on " + u.runsOn())
                                    + ", epoch "
                                    + u.epoch());
            boolean settled =
                    u.since() != null
                            && java.time.Instant.parse(u.since())
                                    .isBefore(java.time.Instant.now().minusSeconds(5));
            for (String route : u.routes()) {
                String st = status.routeStatus(route);
                builder.detail("route." + route, st);
                boolean running = "Started".equals(st);
                if (here && !running && settled) {
                    problems.add(route + " is " + st + " although this member runs " + u.id());
                } else if (!here && running && settled) {
                    degraded.add(route + " runs here although " + u.id() + " runs elsewhere");
                }
            }
        }
    }

    /**
     * Waiting for a lease, standing by or fenced is what an instance must do when it cannot hold
     * one: never DOWN. An arbiter or gateway that does not answer, or a fence, is degraded.
     */
    private void arbiter(
            HealthCheckResultBuilder builder, LeaseKeeper leases, List<String> degraded) {
        builder.detail("arbiter.role", status.arbiterRole());
        builder.detail("arbiter", leases.describeArbiter());
        String problem = leases.arbiterProblem();
        builder.detail("arbiter.reachable", problem == null);
        if (problem != null) {
            degraded.add("the arbiter does not answer (" + problem + "): nothing guarded starts");
        }
        if (leases.gatewayProblem() != null) {
            degraded.add(leases.gatewayProblem());
        }
        for (LeaseKeeper.View v : leases.views()) {
            builder.detail(
                    "lease." + v.key(),
                    v.state() + (v.epoch() < 0 ? "" : " epoch " + v.epoch()) + ": " + v.why());
            if (v.state() == LeaseState.FENCED) {
                degraded.add("lease " + v.key() + " fenced: " + v.why());
            }
        }
        for (String route : status.settings().arbiterRoutes) {
            builder.detail("route." + route, status.routeStatus(route));
        }
    }

    /**
     * Each takeover route must run exactly while a DEAD host it belongs to is taken over here. The
     * heartbeat emitter of a full backup is judged with the emitter.
     */
    private void takeoverRoutes(
            HealthCheckResultBuilder builder,
            TakeoverPlan plan,
            List<String> problems,
            List<String> degraded) {
        Set<MonitorKey> takenOver = plan.takenOver();
        for (String route : plan.allRoutes()) {
            if (route.equals(PackRoute.HEARTBEAT_EMITTER.id())) {
                continue;
            }
            List<MonitorKey> from =
                    takenOver.stream().filter(k -> plan.routesFor(k).contains(route)).toList();
            String st = status.routeStatus(route);
            boolean running = "Started".equals(st);
            if (!from.isEmpty()) {
                builder.detail("route." + route, st + " (taken over from " + from + ")");
                if (!running) {
                    problems.add(route + " is " + st + " although it takes over " + from);
                }
            } else {
                builder.detail(
                        "route." + route,
                        st
                                + (running
                                        ? " (runs here although no host it belongs to is taken over)"
                                        : " (standby: started on takeover)"));
                if (running) {
                    degraded.add(route + " runs here although no host it belongs to is taken over");
                }
            }
        }
    }
}
