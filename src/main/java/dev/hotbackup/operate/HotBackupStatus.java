package dev.hotbackup.operate;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.activity.Json;
import dev.hotbackup.arbiter.LeaseKeeper;
import dev.hotbackup.arbiter.LeaseRecord;
import dev.hotbackup.config.HotBackupSettings;
import dev.hotbackup.emitter.HeartbeatEmitter;
import dev.hotbackup.group.GroupMember;
import dev.hotbackup.link.Rejections;
import dev.hotbackup.link.jdbc.ConfigBackup;
import dev.hotbackup.link.jdbc.HeartbeatTable;
import dev.hotbackup.link.jdbc.PairRole;
import dev.hotbackup.mail.MailDeadLetters;
import dev.hotbackup.monitor.MonitorKey;
import dev.hotbackup.monitor.MonitorRegistry;
import dev.hotbackup.monitor.MonitorView;
import dev.hotbackup.routes.PackRoute;
import dev.hotbackup.takeover.TakeoverPlan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/**
 * What this instance is doing, for people and tools: the JSON of {@code GET /hotbackup/status}, the
 * JMX attributes and the health check all read it from here. Every part is optional: an instance
 * without a listener has no monitors, one without backup-location no emitter.
 */
public final class HotBackupStatus {

    /** Signals and actions shown per host. */
    static final int HISTORY = 20;

    private final HotBackupSettings settings;
    private final CamelContext camelContext;
    private final ActivityLog activity;
    private final MonitorRegistry monitors;
    private final TakeoverPlan plan;
    private final HeartbeatEmitter emitter;
    private final Rejections rejections;
    private final MailDeadLetters deadLetters;
    private final LeaseKeeper leases;
    private volatile String page;
    private volatile GroupMember group;
    private volatile HeartbeatTable table;
    private volatile ConfigBackup configBackup;

    public HotBackupStatus(
            HotBackupSettings settings,
            CamelContext camelContext,
            ActivityLog activity,
            MonitorRegistry monitors,
            TakeoverPlan plan,
            HeartbeatEmitter emitter,
            Rejections rejections,
            MailDeadLetters deadLetters,
            LeaseKeeper leases) {
        this.leases = leases;
        this.settings = settings;
        this.camelContext = camelContext;
        this.activity = activity;
        this.monitors = monitors;
        this.plan = plan;
        this.emitter = emitter;
        this.rejections = rejections;
        this.deadLetters = deadLetters;
    }

    /** This instance's group member, when it is in a group. */
    public void group(GroupMember group) {
        this.group = group;
    }

    public GroupMember group() {
        return group;
    }

    /** The heartbeat table, when heartbeats go through the database. */
    public void link(HeartbeatTable table) {
        this.table = table;
    }

    /** The configuration backup, with roles from the heartbeat table. */
    public void configBackup(ConfigBackup backup) {
        this.configBackup = backup;
    }

    public ConfigBackup configBackup() {
        return configBackup;
    }

    public HeartbeatTable link() {
        return table;
    }

    /** The group view: members with their state, the master, the processing map; or null. */
    JsonObject groupView() {
        GroupMember g = group;
        if (g == null) {
            return null;
        }
        GroupMember.View v = g.view();
        JsonArray members = new JsonArray();
        for (GroupMember.MemberView m : v.members()) {
            members.add(
                    Json.object(
                            "host", m.host(),
                            "address", m.address(),
                            "liveness", m.liveness().name(),
                            "state", m.state(),
                            "master", m.master(),
                            "runs", m.runs()));
        }
        JsonArray map = new JsonArray();
        for (GroupMember.UnitView u : v.map()) {
            JsonArray routes = new JsonArray();
            for (String id : u.routes()) {
                routes.add(Json.object("id", id, "status", routeStatus(id)));
            }
            map.add(
                    Json.object(
                            "unit", u.id(),
                            "member", u.member(),
                            "routes", routes,
                            "runsOn", u.runsOn(),
                            "epoch", u.epoch() < 0 ? null : u.epoch(),
                            "since", u.since(),
                            "decided", u.desired(),
                            "movedTo", u.movedTo()));
        }
        return Json.object(
                "name", v.name(),
                "mode", v.mode(),
                "me", v.me(),
                "master", v.master(),
                "members", members,
                "processingMap", map);
    }

    public MonitorRegistry monitors() {
        return monitors;
    }

    public TakeoverPlan plan() {
        return plan;
    }

    public HeartbeatEmitter emitter() {
        return emitter;
    }

    public HotBackupSettings settings() {
        return settings;
    }

    /** The lease keeper, or {@code null} when no lease is kept here. */
    public LeaseKeeper leases() {
        return leases;
    }

    /**
     * As far as leases go: {@code active}, {@code standby}, {@code waiting}, {@code isolated},
     * {@code fenced}; {@code none} when no lease is kept here.
     */
    public String arbiterRole() {
        return leases == null ? "none" : leases.role().name().toLowerCase(Locale.ROOT);
    }

    /** The arbiter, this instance's leases and the arbiter's lease table, or {@code null}. */
    JsonObject arbiter() {
        if (leases == null) {
            return null;
        }
        JsonArray mine = new JsonArray();
        for (LeaseKeeper.View v : leases.views()) {
            mine.add(
                    Json.object(
                            "lease",
                            v.key(),
                            "state",
                            v.state().name(),
                            "epoch",
                            v.epoch() < 0 ? null : v.epoch(),
                            "validForMs",
                            v.validForMillis() < 0 ? null : v.validForMillis(),
                            "why",
                            v.why(),
                            "heldBy",
                            v.heldBy() == null ? null : v.heldBy().holder().toString()));
        }
        JsonArray table = new JsonArray();
        for (LeaseRecord r : leases.table()) {
            table.add(
                    Json.object(
                            "lease", r.key(),
                            "holder", r.holder().toString(),
                            "epoch", r.epoch(),
                            "held", r.held(),
                            "expiresInMs", r.remainingMillis() < 0 ? null : r.remainingMillis()));
        }
        return Json.object(
                "kind", settings.arbiter.name().toLowerCase(Locale.ROOT),
                "arbiter", leases.describeArbiter(),
                "holder", leases.holder().toString(),
                "role", arbiterRole(),
                "reachable", leases.arbiterProblem() == null,
                "problem", leases.arbiterProblem(),
                "gateway",
                        settings.gateway.isEmpty()
                                ? null
                                : Json.object(
                                        "addresses",
                                                settings.gateway.stream()
                                                        .map(Object::toString)
                                                        .toList(),
                                        "reachable", leases.gatewayProblem() == null,
                                        "problem", leases.gatewayProblem()),
                "timing", leases.timing().toString(),
                "guardedRoutes", settings.arbiterRoutes,
                "leases", mine,
                "table", table,
                "grants", leases.grants(),
                "renewals", leases.renewals(),
                "renewFailures", leases.renewFailures(),
                "fences", leases.fences());
    }

    /** What this instance does now: {@code live}, {@code backup}, {@code takeover}, joined by +. */
    public String role() {
        GroupMember g = group;
        if (g != null) {
            // a member heartbeats and listens by design: what it runs says more
            GroupMember.View v = g.view();
            List<String> roles = new ArrayList<>(List.of("member"));
            if (v.me().equals(v.master())) {
                roles.add("master");
            }
            if (v.map().stream()
                    .anyMatch(
                            u ->
                                    u.member() != null
                                            && !u.member().equals(v.me())
                                            && v.me().equals(u.runsOn()))) {
                roles.add("takeover");
            }
            return String.join("+", roles);
        }
        List<String> roles = new ArrayList<>();
        PairRole pair = table == null ? null : table.pair();
        if (pair != null) {
            // roles from the heartbeat table: both instances heartbeat, the role says who runs
            return pair.current().name().toLowerCase(Locale.ROOT);
        }
        if (emitter != null && emitter.isEmitting()) {
            roles.add("live");
        }
        boolean takingOver = plan != null && !plan.takenOver().isEmpty();
        if (monitors != null) {
            roles.add(settings.backup && !takingOver ? "standby" : "backup");
        }
        if (takingOver) {
            roles.add("takeover");
        }
        return roles.isEmpty() ? "idle" : String.join("+", roles);
    }

    /** Frames refused since start, for any reason. */
    public long rejectedTotal() {
        return rejections == null ? 0 : rejections.total();
    }

    /** The Camel status of a route here, or {@code missing}. */
    public String routeStatus(String id) {
        ServiceStatus st = camelContext.getRouteController().getRouteStatus(id);
        return st == null ? "missing" : st.name();
    }

    /** Sets the body to the status JSON, for the status-api route. */
    public void http(Exchange exchange) {
        exchange.getMessage().setBody(json());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getMessage().setHeader("Cache-Control", "no-store");
    }

    /** Sets the body to the status page, for the status-page route. */
    public void page(Exchange exchange) throws IOException {
        String html = page;
        if (html == null) {
            try (InputStream in =
                    HotBackupStatus.class.getResourceAsStream("/hotbackup/status.html")) {
                if (in == null) {
                    throw new IOException("hotbackup/status.html is missing from the jar");
                }
                html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            page = html;
        }
        exchange.getMessage().setBody(html);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getMessage().setHeader("Cache-Control", "no-store");
    }

    /** How long a host refused for its signature stays on the status page. */
    static final long REFUSED_SHOWN_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** The status as one JSON object. */
    public String json() {
        return Json.write(status());
    }

    /** The status as a JSON object: the instance, each monitored host, frame and mail counters. */
    public JsonObject status() {
        JsonObject instance =
                Json.object(
                        "host", settings.host,
                        "config", settings.config,
                        "mode",
                                settings.roleAuto()
                                        ? "role-auto"
                                        : settings.backup ? "full-backup" : "distributed",
                        "role", role(),
                        "arbiterRole", arbiterRole(),
                        "takeoverMode", settings.takeoverMode.name().toLowerCase(Locale.ROOT),
                        "operatorActions", !settings.httpToken.isEmpty(),
                        "time", Instant.now().toString());
        instance.put(
                "listener",
                monitors == null
                        ? null
                        : Json.object(
                                "port", settings.listenerPort,
                                "thresholdMs", settings.threshold.toMillis(),
                                "route",
                                        routeStatus(
                                                (settings.databaseLink()
                                                                ? PackRoute.HEARTBEAT_READER
                                                                : PackRoute.BACKUP_LISTENER)
                                                        .id())));
        HeartbeatTable t = table;
        instance.put("link", t == null ? Json.object("kind", "tcp") : new JsonObject(t.view()));
        ConfigBackup cb = configBackup;
        instance.put("configBackup", cb == null ? null : new JsonObject(cb.view()));
        instance.put(
                "emitter",
                emitter == null
                        ? null
                        : Json.object(
                                "emitting",
                                emitter.isEmitting(),
                                "route",
                                routeStatus(PackRoute.HEARTBEAT_EMITTER.id()),
                                "backups",
                                t != null
                                        ? List.of(t.describe())
                                        : settings.backupLocation.stream()
                                                .map(Object::toString)
                                                .toList(),
                                "unreachable",
                                new JsonObject(emitter.unreachable())));
        JsonArray hosts = new JsonArray();
        if (monitors != null) {
            // the recent activity, split by host once rather than scanned for each
            Map<MonitorKey, List<ActivityLog.Entry>> history = new HashMap<>();
            for (ActivityLog.Entry e : activity.recent()) {
                if (e.host() != null && e.config() != null && !e.event().startsWith("mail")) {
                    history.computeIfAbsent(
                                    new MonitorKey(e.host(), e.config()), k -> new ArrayList<>())
                            .add(e);
                }
            }
            Set<MonitorKey> takenOver = plan == null ? Set.of() : plan.takenOver();
            List<String> waiting = plan == null ? List.of() : plan.waitingForLease();
            for (MonitorView v : monitors.views()) {
                JsonObject m =
                        monitor(
                                v,
                                takenOver.contains(v.key()),
                                history.getOrDefault(v.key(), List.of()));
                m.put("waitingForLease", waiting.contains(v.key().toString()));
                hosts.add(m);
            }
        }
        JsonArray refused = new JsonArray();
        if (rejections != null) {
            long now = System.nanoTime();
            for (Rejections.RefusedHost r : rejections.refusedWithin(REFUSED_SHOWN_NANOS)) {
                int slash = r.claimed().lastIndexOf('/');
                refused.add(
                        Json.object(
                                "host", r.claimed().substring(0, slash),
                                "config", r.claimed().substring(slash + 1),
                                "state", "REFUSED",
                                "address", r.address(),
                                "reason", r.reason().code(),
                                "frames", r.count(),
                                "lastRefusedMs", TimeUnit.NANOSECONDS.toMillis(now - r.lastNanos()),
                                "why", r.why()));
            }
        }
        JsonObject frames =
                Json.object(
                        "accepted", monitors == null ? 0 : monitors.accepted(),
                        "waiting", monitors == null ? 0 : monitors.waiting(),
                        "rejected",
                                rejections == null
                                        ? new JsonObject()
                                        : new JsonObject(rejections.snapshot()));
        JsonObject mail =
                Json.object(
                        "enabled", settings.mailEnabled(),
                        "sent", activity.count("mail-sent"),
                        "deadLetters", deadLetters == null ? 0 : deadLetters.count());
        instance.put("arbiter", arbiter());
        return Json.object(
                "instance", instance,
                "group", groupView(),
                "monitors", hosts,
                "refused", refused,
                "frames", frames,
                "mail", mail);
    }

    private JsonObject monitor(MonitorView v, boolean takenOverHere, List<ActivityLog.Entry> mine) {
        MonitorKey k = v.key();
        JsonArray routes = new JsonArray();
        for (String id : plan == null ? List.<String>of() : plan.routesFor(k)) {
            routes.add(Json.object("id", id, "status", routeStatus(id)));
        }
        JsonArray history = new JsonArray();
        List<ActivityLog.Entry> last =
                mine.subList(Math.max(0, mine.size() - HISTORY), mine.size());
        for (int i = last.size() - 1; i >= 0; i--) {
            history.add(last.get(i).toJsonObject());
        }
        return Json.object(
                "host", k.host(),
                "config", k.config(),
                "state", v.state().name(),
                "heartbeatAgeMs",
                        v.heardAgoNanos() < 0
                                ? null
                                : TimeUnit.NANOSECONDS.toMillis(v.heardAgoNanos()),
                "thresholdMs", TimeUnit.NANOSECONDS.toMillis(monitors.thresholdNanos()),
                "stateSince", v.stateSince().toString(),
                "stateForMs", TimeUnit.NANOSECONDS.toMillis(v.stateForNanos()),
                "address", v.remoteAddress(),
                "expected", v.expected(),
                "takenOverHere", takenOverHere,
                "routes", routes,
                "history", history);
    }
}
