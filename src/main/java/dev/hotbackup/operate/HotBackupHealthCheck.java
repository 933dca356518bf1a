package dev.hotbackup.operate;

import dev.hotbackup.emitter.HeartbeatEmitter;
import dev.hotbackup.monitor.MonitorRegistry;
import dev.hotbackup.routes.PackRoute;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The {@code hotbackup} health check of {@code /observe/health}. DOWN when this instance cannot do
 * its part: its Backup listener or signal router is not running, or, on a live host, its heartbeat
 * emitter should run and does not. A live host whose backup is unreachable stays UP (restarting it
 * would not help) with {@code degraded=true} and the unreachable backups in the details, so a
 * monitoring tool can alert on it. Details list each monitored pair's state and heartbeat age.
 */
public final class HotBackupHealthCheck extends AbstractHealthCheck {

    private final HotBackupStatus status;

    public HotBackupHealthCheck(HotBackupStatus status) {
        super("hotbackup", "hotbackup");
        this.status = status;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("role", status.role());
        builder.detail("takeover.mode", status.settings().takeoverMode.name().toLowerCase());
        StringBuilder problems = new StringBuilder();
        MonitorRegistry monitors = status.monitors();
        if (monitors != null) {
            for (String route :
                    new String[] {PackRoute.BACKUP_LISTENER.id(), PackRoute.SIGNAL_ROUTER.id()}) {
                String st = status.routeStatus(route);
                builder.detail("route." + route, st);
                if (!"Started".equals(st)) {
                    problems.append(route).append(" is ").append(st).append("; ");
                }
            }
            for (MonitorRegistry.View v : monitors.views()) {
                builder.detail("monitor." + v.key(), v.summary());
            }
        }
        HeartbeatEmitter emitter = status.emitter();
        boolean degraded = false;
        if (emitter != null) {
            String st = status.routeStatus(PackRoute.HEARTBEAT_EMITTER.id());
            builder.detail("route." + PackRoute.HEARTBEAT_EMITTER.id(), st);
            boolean shouldRun = !status.settings().backup || status.role().contains("covering");
            if (shouldRun && !"Started".equals(st)) {
                problems.append(PackRoute.HEARTBEAT_EMITTER.id())
                        .append(" is ")
                        .append(st)
                        .append("; ");
            }
            if (emitter.isEmitting()) {
                Map<String, String> unreachable = emitter.unreachable();
                builder.detail("backup.reachable", unreachable.isEmpty());
                if (!unreachable.isEmpty()) {
                    degraded = true;
                    builder.detail("backup.unreachable", unreachable.toString());
                }
            }
        }
        builder.detail("degraded", degraded);
        if (problems.length() > 0) {
            builder.message(problems.toString().trim());
            builder.down();
        } else {
            if (degraded) {
                builder.message("heartbeats do not reach every backup");
            }
            builder.up();
        }
    }
}
