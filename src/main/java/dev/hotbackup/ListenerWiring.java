package dev.hotbackup;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.config.HotBackupSettings;
import dev.hotbackup.config.Keys;
import dev.hotbackup.emitter.HeartbeatEmitter;
import dev.hotbackup.link.FrameDecoders;
import dev.hotbackup.link.Rejections;
import dev.hotbackup.mail.MailDeadLetters;
import dev.hotbackup.monitor.AllowList;
import dev.hotbackup.monitor.MonitorKey;
import dev.hotbackup.monitor.MonitorRegistry;
import dev.hotbackup.probe.ReconfirmProbe;
import dev.hotbackup.routes.PackRoute;
import dev.hotbackup.signal.SignalDocument;
import dev.hotbackup.signal.SignalPublisher;
import dev.hotbackup.signal.SignalXPath;
import dev.hotbackup.takeover.FailoverNotices;
import dev.hotbackup.takeover.RouteControl;
import dev.hotbackup.takeover.TakeoverLeases;
import dev.hotbackup.takeover.TakeoverPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup's side: the Backup listener's network handlers, the monitors, the reconfirm probe, the
 * signal publisher and the takeover plan the signal router follows.
 */
final class ListenerWiring {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerWiring.class);

    /** The parts of a Backup listener that the status, health, metrics and operator read. */
    record Listener(
            MonitorRegistry monitors,
            TakeoverPlan plan,
            Rejections rejections,
            RouteControl routeControl,
            MailDeadLetters deadLetters) {}

    private ListenerWiring() {}

    /** The listener, or {@code null} where none runs. */
    static Listener wire(
            CamelContext camelContext,
            HotBackupSettings s,
            LinkWiring.Link link,
            ActivityLog activity,
            HeartbeatEmitter emitter,
            ArbiterWiring.Arbitration arbitration,
            MailDeadLetters deadLetters)
            throws Exception {
        if (!s.listenerEnabled()) {
            return null;
        }
        Registry registry = camelContext.getRegistry();
        Rejections rejections = new Rejections(activity);
        registry.bind("rejections", rejections);

        SignalPublisher publisher =
                new SignalPublisher(
                        camelContext.createProducerTemplate(),
                        s.whitespace,
                        host -> s.group != null && s.group.isMember(host) ? s.group.name() : null);
        FrameDecoders.Backlog backlog = new FrameDecoders.Backlog(s.maxBacklog);
        ReconfirmProbe probe =
                new ReconfirmProbe(
                        s.probeTimeout.toMillis(),
                        link.signer(),
                        link.tls(),
                        s.databaseLink()
                                ? "none over the database link; the counter did not move in "
                                        + s.linkRetryCount
                                        + " reads"
                                : "no address known to probe");
        camelContext.addService(probe);
        registry.bind("reconfirmProbe", probe);
        MonitorRegistry monitors =
                new MonitorRegistry(
                        new MonitorRegistry.Options(
                                s.threshold.toNanos(),
                                s.checkInterval.toNanos(),
                                new AllowList(s.allow),
                                s.expect.stream().map(ListenerWiring::key).toList(),
                                s.stateDir.resolve("monitors"),
                                s.probeTimeout.toNanos(),
                                s.probeOnDisconnect,
                                s.retention.toNanos()),
                        publisher,
                        rejections,
                        activity,
                        backlog,
                        link.codec(),
                        camelContext,
                        System::nanoTime,
                        probe::probe);
        camelContext.addService(monitors);
        // the listener's frames go from the network threads to the monitor through this queue
        camelContext.addService(backlog);
        registry.bind("monitorRegistry", monitors);
        if (link.table() != null) {
            // the database link: the route heartbeat-reader reads the table into the monitor
            link.table().watchInto(monitors::heard);
        }
        // what the listener's routes call
        registry.bind("monitors", monitors.bean());
        registry.bind("silenceTimer", monitors.timer());
        registry.bind(
                "hotbackupConnectionGuard",
                FrameDecoders.connectionGuard(
                        s.maxConnections, s.maxConnectionsPerAddress, rejections));
        registry.bind("hotbackupLineDecoder", FrameDecoders.lineDecoder());
        registry.bind(
                "hotbackupFrameGate",
                FrameDecoders.frameGate(
                        rejections, s.idleTimeout.toNanos(), monitors::connectionClosed, backlog));

        TakeoverLeases leases = null;
        if (arbitration != null) {
            leases =
                    new TakeoverLeases(
                            arbitration.keeper(),
                            arbitration.guarded(),
                            s.failbackKeep,
                            arbitration.firstAnswerMillis(),
                            camelContext,
                            link.table() == null ? null : link.table().pair());
            camelContext.addService(leases);
        }
        TakeoverPlan plan = plan(camelContext, s, monitors, emitter, leases);
        RouteControl routeControl =
                new RouteControl(camelContext, emitter, EmitterWiring.closeWaitMillis(s));
        registry.bind("routeControl", routeControl);
        // the signals' copies for hotbackup.listener.signals-to leave one at a time, in order
        registry.bind(
                "hotbackupSignalsToThread",
                camelContext
                        .getExecutorServiceManager()
                        .newSingleThreadExecutor(camelContext, "hotbackup-signals-to"));
        registry.bind(SignalXPath.BEAN, SignalXPath.factory());
        registry.bind(SignalDocument.BEAN, new SignalDocument());
        FailoverNotices notices = new FailoverNotices(s.notifyTo, camelContext);
        camelContext.addService(notices);
        registry.bind("failoverNotices", notices);
        if (s.fullBackup()) {
            fullBackup(camelContext, plan);
        }
        return new Listener(monitors, plan, rejections, routeControl, deadLetters);
    }

    private static TakeoverPlan plan(
            CamelContext camelContext,
            HotBackupSettings s,
            MonitorRegistry monitors,
            HeartbeatEmitter emitter,
            TakeoverLeases leases)
            throws Exception {
        List<String> controlled = new ArrayList<>(s.takeoverRoutes);
        Map<MonitorKey, List<String>> perHost = new LinkedHashMap<>();
        s.takeoverRoutesFor.forEach(
                (hostConfig, routes) -> perHost.put(key(hostConfig), new ArrayList<>(routes)));
        if (s.fullBackup() && emitter != null) {
            // a full backup that goes live heartbeats to its own backup
            controlled.add(PackRoute.HEARTBEAT_EMITTER.id());
            perHost.values().forEach(r -> r.add(PackRoute.HEARTBEAT_EMITTER.id()));
        }
        TakeoverPlan plan =
                new TakeoverPlan(
                        controlled,
                        perHost,
                        s.takeoverMode == Keys.TakeoverMode.MANUAL,
                        s.failbackDelay.toNanos(),
                        monitors,
                        camelContext,
                        leases);
        camelContext.addService(plan);
        camelContext.getRegistry().bind("takeoverPlan", plan);
        return plan;
    }

    /** Full backup: nothing the live host does runs here until it is DEAD. */
    private static void fullBackup(CamelContext camelContext, TakeoverPlan plan) {
        Set<String> all = new LinkedHashSet<>(plan.allRoutes());
        String pattern = String.join(",", all);
        String existing = camelContext.getAutoStartupExcludePattern();
        if (existing != null && !existing.isBlank()) {
            pattern = existing + "," + pattern;
        }
        if (!pattern.isEmpty()) {
            camelContext.setAutoStartupExcludePattern(pattern);
        }
        LOG.info("Full-backup mode: {} stay stopped until a monitored host is DEAD", all);
    }

    static MonitorKey key(String hostConfig) {
        return MonitorKey.parse(hostConfig);
    }
}
