package dev.hotbackup;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.config.HotBackupSettings;
import dev.hotbackup.config.SettingsLoader;
import dev.hotbackup.emitter.HeartbeatEmitter;
import dev.hotbackup.group.GroupMember;
import dev.hotbackup.mail.MailDeadLetters;
import dev.hotbackup.support.Startup;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the pack into Camel before the routes load: reads the {@code hotbackup.*} settings, checks
 * the ports it will listen on, wires each part (link, emitter, listener with mail, operations) and
 * loads the pack's own routes from the jar. Camel main finds this class by scanning the package of
 * {@link HotBackupMain}.
 */
public final class HotBackupConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HotBackupConfiguration.class);

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        HotBackupSettings s = SettingsLoader.get(camelContext);
        if (!camelContext.getPropertiesComponent().hasPropertiesFunction("hotbackup")) {
            camelContext.getPropertiesComponent().addPropertiesFunction(new SettingsFunction());
        }
        LOG.info("Hot backup: {}", s);
        s.warnings.forEach(w -> LOG.warn("{}", w));
        List<String> unread = SettingsFunction.unreadRouteFiles();
        if (!unread.isEmpty()) {
            LOG.warn("Not read as routes: {} ({})", unread, SettingsFunction.ROUTE_FILES);
        }
        if (s.secret.isEmpty() && !s.databaseLink()) {
            LOG.warn(
                    "hotbackup.secret is not set: heartbeats are not authenticated ({})",
                    s.allowUnsigned ? "hotbackup.allow-unsigned=true" : "loopback only");
        }
        Ports.checkFree(s);

        ActivityLog activity = new ActivityLog(s.activityLog, s.activityLogFile);
        camelContext.addService(activity);
        camelContext.getRegistry().bind("activityLog", activity);
        LinkWiring.Link link = LinkWiring.wire(camelContext, s, activity);
        HeartbeatEmitter emitter = EmitterWiring.wire(camelContext, s, link);
        ArbiterWiring.Arbitration arbitration =
                ArbiterWiring.wire(
                        camelContext,
                        s,
                        activity,
                        emitter,
                        link.table() == null ? null : link.table().pair());
        MailDeadLetters deadLetters =
                s.listenerEnabled() || arbitration != null
                        ? MailWiring.wire(camelContext, s, activity)
                        : null;
        ListenerWiring.Listener listener =
                ListenerWiring.wire(
                        camelContext, s, link, activity, emitter, arbitration, deadLetters);
        GroupMember group = GroupWiring.wire(camelContext, s, activity, listener, arbitration);
        OperateWiring.wire(camelContext, s, activity, emitter, listener, arbitration, group);
        PackRoutes.load(camelContext, s.dsl);
        if (listener != null || !s.arbiterRoutes.isEmpty()) {
            // group routes are checked with the takeover routes, each list under its own key
            // every route is loaded by then, and nothing has started
            camelContext.addLifecycleStrategy(
                    new LifecycleStrategySupport() {
                        @Override
                        public void onContextInitializing(CamelContext context) {
                            if (listener != null) {
                                PackRoutes.checkTakeoverRoutes(context, s.allTakeoverRoutes());
                            }
                            PackRoutes.checkRoutes(
                                    context,
                                    "hotbackup.arbiter.routes",
                                    "guarded",
                                    new LinkedHashSet<>(s.arbiterRoutes));
                            if (s.group != null) {
                                GroupWiring.checkRoutes(context, s.group);
                            }
                        }

                        @Override
                        public String toString() {
                            // Camel names the strategy when it logs the refusal
                            return "hotbackup's check of the route ids it was given";
                        }
                    });
        }
        Startup.whenFullyStarted(camelContext, () -> Ports.logEndpoints(s));
    }
}
