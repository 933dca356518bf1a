package dev.hotbackup.operate;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.activity.Json;
import dev.hotbackup.config.HotBackupSettings;
import dev.hotbackup.emitter.HeartbeatEmitter;
import dev.hotbackup.link.Rejections;
import dev.hotbackup.mail.MailDeadLetters;
import dev.hotbackup.monitor.MonitorKey;
import dev.hotbackup.monitor.MonitorRegistry;
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

/**
 * What this instance is doing, for people and tools: the JSON of {@code GET /hotbackup/status}, the
 * JMX attributes and the health check all read it from here. Every part is optional: an instance
 * without a listener has no monitors, one without backup-location no emitter.
 */
public final class HotBackupStatus {

    /** Signals and actions shown per pair. */
    static final int HISTORY = 20;

    private final HotBackupSettings settings;
    private final CamelContext camelContext;
    private final ActivityLog activity;
    private final MonitorRegistry monitors;
    private final TakeoverPlan plan;
    private final HeartbeatEmitter emitter;
    private final Rejections rejections;
    private final MailDeadLetters deadLetters;
    private volatile String page;

    public HotBackupStatus(
            HotBackupSettings settings,
            CamelContext camelContext,
            ActivityLog activity,
            MonitorRegistry monitors,
            TakeoverPlan plan,
            HeartbeatEmitter emitter,
            Rejections rejections,
            MailDeadLetters deadLetters) {
        this.settings = settings;
        this.camelContext = camelContext;
        this.activity = activity;
        this.monitors = monitors;
        this.plan = plan;
        this.emitter = emitter;
        this.rejections = rejections;
        this.deadLetters = deadLetters;
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

    /** What this instance does now: {@code live}, {@code backup}, {@code covering}, joined by +. */
    public String role() {
        List<String> roles = new ArrayList<>();
        if (emitter != null && emitter.isEmitting()) {
            roles.add("live");
        }
        boolean covering = plan != null && !plan.covered().isEmpty();
        if (monitors != null) {
            roles.add(settings.backup && !covering ? "standby" : "backup");
        }
        if (covering) {
            roles.add("covering");
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

    /** The status as one JSON object. */
    public String json() {
        StringBuilder j = new StringBuilder(1024);
        j.append("{\"instance\":{")
                .append("\"host\":")
                .append(Json.quote(settings.host))
                .append(",\"config\":")
                .append(Json.quote(settings.config))
                .append(",\"mode\":")
                .append(Json.quote(settings.backup ? "full-backup" : "distributed"))
                .append(",\"role\":")
                .append(Json.quote(role()))
                .append(",\"takeoverMode\":")
                .append(Json.quote(settings.takeoverMode.name().toLowerCase(Locale.ROOT)))
                .append(",\"operatorActions\":")
                .append(!settings.httpToken.isEmpty())
                .append(",\"time\":")
                .append(Json.quote(Instant.now().toString()));
        j.append(",\"listener\":");
        if (monitors == null) {
            j.append("null");
        } else {
            j.append("{\"port\":")
                    .append(settings.listenerPort)
                    .append(",\"thresholdMs\":")
                    .append(settings.threshold.toMillis())
                    .append(",\"route\":")
                    .append(Json.quote(routeStatus(PackRoute.BACKUP_LISTENER.id())))
                    .append('}');
        }
        j.append(",\"emitter\":");
        if (emitter == null) {
            j.append("null");
        } else {
            j.append("{\"emitting\":")
                    .append(emitter.isEmitting())
                    .append(",\"route\":")
                    .append(Json.quote(routeStatus(PackRoute.HEARTBEAT_EMITTER.id())))
                    .append(",\"backups\":")
                    .append(
                            strings(
                                    settings.backupLocation.stream()
                                            .map(Object::toString)
                                            .toList()))
                    .append(",\"unreachable\":")
                    .append(object(emitter.unreachable()))
                    .append('}');
        }
        j.append("},\"monitors\":[");
        if (monitors != null) {
            // the recent activity, split by pair once rather than scanned for every pair
            Map<MonitorKey, List<ActivityLog.Entry>> history = new HashMap<>();
            for (ActivityLog.Entry e : activity.recent()) {
                if (e.host() != null && e.config() != null && !e.event().startsWith("mail")) {
                    history.computeIfAbsent(
                                    new MonitorKey(e.host(), e.config()), k -> new ArrayList<>())
                            .add(e);
                }
            }
            Set<MonitorKey> covered = plan == null ? Set.of() : plan.covered();
            boolean first = true;
            for (MonitorRegistry.View v : monitors.views()) {
                if (!first) {
                    j.append(',');
                }
                first = false;
                monitor(j, v, covered.contains(v.key()), history.getOrDefault(v.key(), List.of()));
            }
        }
        j.append("],\"frames\":{\"accepted\":")
                .append(monitors == null ? 0 : monitors.accepted())
                .append(",\"rejected\":");
        if (rejections == null) {
            j.append("{}");
        } else {
            j.append('{');
            boolean first = true;
            for (Map.Entry<String, Long> e : rejections.snapshot().entrySet()) {
                if (!first) {
                    j.append(',');
                }
                first = false;
                j.append(Json.quote(e.getKey())).append(':').append(e.getValue());
            }
            j.append('}');
        }
        j.append("},\"mail\":{\"enabled\":")
                .append(settings.mailEnabled())
                .append(",\"sent\":")
                .append(activity.count("mail-sent"))
                .append(",\"deadLetters\":")
                .append(deadLetters == null ? 0 : deadLetters.count())
                .append("}}");
        return j.toString();
    }

    private void monitor(
            StringBuilder j,
            MonitorRegistry.View v,
            boolean coveredHere,
            List<ActivityLog.Entry> mine) {
        MonitorKey k = v.key();
        j.append("{\"host\":")
                .append(Json.quote(k.host()))
                .append(",\"config\":")
                .append(Json.quote(k.config()))
                .append(",\"state\":")
                .append(Json.quote(v.state().name()))
                .append(",\"heartbeatAgeMs\":")
                .append(
                        v.heardAgoNanos() < 0
                                ? "null"
                                : TimeUnit.NANOSECONDS.toMillis(v.heardAgoNanos()))
                .append(",\"thresholdMs\":")
                .append(TimeUnit.NANOSECONDS.toMillis(monitors.thresholdNanos()))
                .append(",\"stateSince\":")
                .append(Json.quote(v.stateSince().toString()))
                .append(",\"stateForMs\":")
                .append(TimeUnit.NANOSECONDS.toMillis(v.stateForNanos()))
                .append(",\"address\":")
                .append(Json.quote(v.remoteAddress()))
                .append(",\"expected\":")
                .append(v.expected())
                .append(",\"takenOverHere\":")
                .append(coveredHere)
                .append(",\"routes\":[");
        List<String> routes = plan == null ? List.of() : plan.routesFor(k);
        for (int i = 0; i < routes.size(); i++) {
            if (i > 0) {
                j.append(',');
            }
            j.append("{\"id\":")
                    .append(Json.quote(routes.get(i)))
                    .append(",\"status\":")
                    .append(Json.quote(routeStatus(routes.get(i))))
                    .append('}');
        }
        j.append("],\"history\":[");
        List<ActivityLog.Entry> last =
                mine.subList(Math.max(0, mine.size() - HISTORY), mine.size());
        for (int i = last.size() - 1; i >= 0; i--) {
            ActivityLog.Entry e = last.get(i);
            j.append(e.json());
            if (i > 0) {
                j.append(',');
            }
        }
        j.append("]}");
    }

    private static String strings(List<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(Json.quote(values.get(i)));
        }
        return out.append(']').toString();
    }

    private static String object(Map<String, String> values) {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
        }
        return out.append('}').toString();
    }
}
