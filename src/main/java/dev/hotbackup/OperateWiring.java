package dev.hotbackup;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.config.HotBackupSettings;
import dev.hotbackup.emitter.HeartbeatEmitter;
import dev.hotbackup.group.GroupMember;
import dev.hotbackup.link.jdbc.ConfigBackup;
import dev.hotbackup.link.jdbc.HeartbeatTable;
import dev.hotbackup.operate.ActiveHost;
import dev.hotbackup.operate.ArbiterMetrics;
import dev.hotbackup.operate.GroupMetrics;
import dev.hotbackup.operate.HotBackupHealthCheck;
import dev.hotbackup.operate.HotBackupMetrics;
import dev.hotbackup.operate.HotBackupStatus;
import dev.hotbackup.operate.JmxControl;
import dev.hotbackup.operate.Operator;
import dev.hotbackup.routes.PackRoute;
import dev.hotbackup.support.Startup;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * What people and tools see and do: status page and API, operator actions, JMX, health, metrics.
 */
final class OperateWiring {

    private OperateWiring() {}

    /**
     * Camel's own route and consumer checks call a stopped route DOWN unless it is autoStartup
     * false, so every standby would page someone; the {@code hotbackup} check judges these routes
     * by the role instead.
     */
    private static void excludeTakeoverRoutes(HealthCheckRegistry health, Set<String> routes) {
        if (routes.isEmpty()) {
            return;
        }
        String existing = health.getExcludePattern();
        String ours = String.join(",", routes);
        health.setExcludePattern(
                existing == null || existing.isBlank() ? ours : existing + "," + ours);
    }

    static void wire(
            CamelContext camelContext,
            HotBackupSettings s,
            ActivityLog activity,
            HeartbeatEmitter emitter,
            ListenerWiring.Listener l,
            ArbiterWiring.Arbitration arbitration,
            GroupMember group)
            throws Exception {
        HotBackupStatus status =
                new HotBackupStatus(
                        s,
                        camelContext,
                        activity,
                        l == null ? null : l.monitors(),
                        l == null ? null : l.plan(),
                        emitter,
                        l == null ? null : l.rejections(),
                        l == null ? null : l.deadLetters(),
                        arbitration == null ? null : arbitration.keeper());
        camelContext.getRegistry().bind("hotbackupStatus", status);
        camelContext.getRegistry().bind("hotbackupActive", new ActiveHost(status, camelContext));
        status.group(group);
        status.link(
                camelContext
                        .getRegistry()
                        .lookupByNameAndType(LinkWiring.TABLE_BEAN, HeartbeatTable.class));
        status.configBackup(
                camelContext
                        .getRegistry()
                        .lookupByNameAndType(LinkWiring.CONFIG_BACKUP_BEAN, ConfigBackup.class));
        Operator operator = null;
        if (l != null) {
            operator =
                    new Operator(
                            l.monitors(),
                            l.plan(),
                            activity,
                            camelContext,
                            s.httpToken,
                            s.whitespace);
            operator.group(group);
            camelContext.addService(operator);
            camelContext.getRegistry().bind("hotbackupOperator", operator);
        }
        camelContext.addService(new JmxControl(status, operator));
        HealthCheckRegistry health = HealthCheckRegistry.get(camelContext);
        if (health != null) {
            List<String> required = new ArrayList<>();
            for (PackRoute r : PackRoute.values()) {
                if (r != PackRoute.HEARTBEAT_EMITTER && SettingsFunction.needs(s, r)) {
                    required.add(r.id());
                }
            }
            health.register(new HotBackupHealthCheck(status, required));
            if (l != null) {
                excludeTakeoverRoutes(health, l.plan().allRoutes());
            }
            if (arbitration != null) {
                excludeTakeoverRoutes(health, arbitration.guarded().guarded());
            }
        }
        if (l != null) {
            HotBackupMetrics metrics =
                    new HotBackupMetrics(
                            camelContext,
                            activity,
                            l.monitors(),
                            l.rejections(),
                            l.plan(),
                            l.routeControl(),
                            l.deadLetters());
            camelContext.addService(metrics);
            // the meter registry is bound once Camel has fully started
            Startup.whenFullyStarted(camelContext, metrics::bind);
        }
        if (group != null) {
            GroupMetrics groupMetrics = new GroupMetrics(camelContext, group);
            camelContext.addService(groupMetrics);
            Startup.whenFullyStarted(camelContext, groupMetrics::bind);
        }
        if (arbitration != null) {
            ArbiterMetrics leaseMetrics = new ArbiterMetrics(camelContext, arbitration.keeper());
            camelContext.addService(leaseMetrics);
            Startup.whenFullyStarted(camelContext, leaseMetrics::bind);
        }
    }
}
