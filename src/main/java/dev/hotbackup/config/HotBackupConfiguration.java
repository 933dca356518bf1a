package dev.hotbackup.config;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.emitter.BootCounter;
import dev.hotbackup.emitter.HeartbeatEmitter;
import dev.hotbackup.link.FrameDecoders;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.Rejections;
import dev.hotbackup.link.Signer;
import dev.hotbackup.link.Tls;
import dev.hotbackup.link.TlsClientInitializer;
import dev.hotbackup.monitor.AllowList;
import dev.hotbackup.monitor.MonitorKey;
import dev.hotbackup.monitor.MonitorRegistry;
import dev.hotbackup.operate.HotBackupHealthCheck;
import dev.hotbackup.operate.HotBackupMetrics;
import dev.hotbackup.operate.HotBackupStatus;
import dev.hotbackup.operate.JmxControl;
import dev.hotbackup.operate.Operator;
import dev.hotbackup.probe.ProbeResponder;
import dev.hotbackup.probe.ReconfirmProbe;
import dev.hotbackup.signal.MailDeadLetters;
import dev.hotbackup.signal.SignalMail;
import dev.hotbackup.signal.SignalPublisher;
import dev.hotbackup.takeover.RouteControl;
import dev.hotbackup.takeover.TakeoverPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the pack's Java pieces into Camel before the routes load: reads the {@code hotbackup.*}
 * settings, registers the beans the route files refer to, and applies full-backup mode. Camel main
 * finds this class by scanning the package of {@code HotBackupMain}.
 */
public final class HotBackupConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HotBackupConfiguration.class);

    /** The pack's own route ids; none of them may be a takeover route. */
    public static final Set<String> PACK_ROUTES =
            Set.of(
                    HeartbeatEmitter.ROUTE_ID,
                    "backup-listener",
                    "reconfirm",
                    "signal-router",
                    "signal-mail",
                    "status-api",
                    "status-page",
                    "operator-api");

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        PropertiesComponent pc = camelContext.getPropertiesComponent();
        HotBackupSettings s = load(pc);
        pc.addPropertiesFunction(new SettingsFunction(s));
        LOG.info("Hot backup: {}", s);
        if (s.secret.isEmpty()) {
            LOG.warn(
                    "hotbackup.secret is not set: heartbeats are not authenticated ({})",
                    s.allowUnsigned ? "hotbackup.allow-unsigned=true" : "loopback only");
        }

        chooseDsl(camelContext, s.dsl);
        Registry registry = camelContext.getRegistry();
        registry.bind("hotbackupSettings", s);
        ActivityLog activity = new ActivityLog(s.activityLog, s.activityLogFile);
        camelContext.addService(activity);
        registry.bind("activityLog", activity);
        Signer signer = Signer.of(s.secret);
        HeartbeatCodec codec = new HeartbeatCodec(signer);
        registry.bind("heartbeatCodec", codec);
        Tls tls = tls(s, camelContext);
        // the netty endpoints refer to it whether TLS is on or not; it is only used when on
        registry.bind("hotbackupTls", tls == null ? new SSLContextParameters() : tls.parameters());

        HeartbeatEmitter emitter =
                s.emitterEnabled() ? emitter(camelContext, s, codec, signer, tls) : null;
        Listener listener =
                s.listenerEnabled()
                        ? listener(camelContext, s, signer, tls, activity, emitter)
                        : null;
        operations(camelContext, s, activity, emitter, listener);
    }

    /** The parts of a Backup listener that the status, health, metrics and operator read. */
    private record Listener(
            MonitorRegistry monitors,
            TakeoverPlan plan,
            Rejections rejections,
            RouteControl routeControl,
            MailDeadLetters deadLetters) {}

    /** Status page and API, operator actions, JMX, the health check and metrics. */
    private static void operations(
            CamelContext camelContext,
            HotBackupSettings s,
            ActivityLog activity,
            HeartbeatEmitter emitter,
            Listener l)
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
                        l == null ? null : l.deadLetters());
        camelContext.getRegistry().bind("hotbackupStatus", status);
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
            camelContext.addService(operator);
            camelContext.getRegistry().bind("hotbackupOperator", operator);
        }
        camelContext.addService(new JmxControl(status, operator));
        HealthCheckRegistry health = HealthCheckRegistry.get(camelContext);
        if (health != null) {
            health.register(new HotBackupHealthCheck(status));
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
            camelContext.addStartupListener(
                    new StartupListener() {
                        @Override
                        public void onCamelContextStarted(
                                CamelContext context, boolean alreadyStarted) {
                            // the meter registry is bound once Camel has fully started
                        }

                        @Override
                        public void onCamelContextFullyStarted(
                                CamelContext context, boolean alreadyStarted) {
                            metrics.bind();
                        }
                    });
        }
    }

    /** Reads the settings from Camel's properties: files, -D, environment, overrides. */
    static HotBackupSettings load(PropertiesComponent pc) {
        Set<String> names = new java.util.HashSet<>(pc.loadProperties().stringPropertyNames());
        names.addAll(System.getProperties().stringPropertyNames());
        return HotBackupSettings.load(key -> pc.resolveProperty(key).orElse(null), names);
    }

    private static Tls tls(HotBackupSettings s, CamelContext camelContext) throws Exception {
        if (!s.tls) {
            return null;
        }
        Tls tls =
                Tls.of(
                        s.tlsKeystore,
                        s.tlsKeystorePassword,
                        s.tlsTruststore,
                        s.tlsTruststorePassword,
                        s.tlsClientAuth,
                        s.tlsVerifyHostname,
                        s.tlsProtocols);
        try {
            tls.init(camelContext);
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    "hotbackup.tls: cannot load hotbackup.tls.keystore "
                            + s.tlsKeystore
                            + " or hotbackup.tls.truststore "
                            + s.tlsTruststore
                            + ": "
                            + e.getMessage(),
                    e);
        }
        return tls;
    }

    private static HeartbeatEmitter emitter(
            CamelContext camelContext,
            HotBackupSettings s,
            HeartbeatCodec codec,
            Signer signer,
            Tls tls)
            throws Exception {
        long boot = BootCounter.next(s.stateDir);
        AtomicReference<HeartbeatEmitter> self = new AtomicReference<>();
        ProbeResponder responder =
                new ProbeResponder(
                        s.probeBindAddress,
                        s.probePort,
                        s.host,
                        s.config,
                        () -> boot,
                        signer,
                        () -> self.get() != null && self.get().isEmitting(),
                        tls);
        String tlsOptions = "";
        if (tls != null) {
            camelContext.getRegistry().bind("hotbackupTlsClient", new TlsClientInitializer(tls));
            tlsOptions = "&clientInitializerFactory=#hotbackupTlsClient";
        }
        HeartbeatEmitter emitter =
                new HeartbeatEmitter(
                        s.host,
                        s.config,
                        boot,
                        codec,
                        s.backupLocation,
                        Math.max(200, Math.min(2000, s.heartbeatInterval.toMillis() * 10)),
                        tlsOptions,
                        responder::boundPort,
                        camelContext);
        self.set(emitter);
        camelContext.addService(responder);
        camelContext.getRegistry().bind("heartbeatEmitter", emitter);
        long closeWait = closeWaitMillis(s);
        camelContext.addLifecycleStrategy(
                new LifecycleStrategySupport() {
                    @Override
                    public void onContextStopping(CamelContext context) {
                        emitter.closeAndWait(closeWait);
                    }
                });
        return emitter;
    }

    private static Listener listener(
            CamelContext camelContext,
            HotBackupSettings s,
            Signer signer,
            Tls tls,
            ActivityLog activity,
            HeartbeatEmitter emitter)
            throws Exception {
        Registry registry = camelContext.getRegistry();
        Rejections rejections = new Rejections(activity);
        registry.bind("rejections", rejections);

        SignalPublisher publisher =
                new SignalPublisher(camelContext.createProducerTemplate(), s.whitespace);
        FrameDecoders.Backlog backlog = new FrameDecoders.Backlog(s.maxBacklog);
        ReconfirmProbe probe = new ReconfirmProbe(s.probeTimeout.toMillis(), signer, tls);
        camelContext.addService(probe);
        registry.bind("reconfirmProbe", probe);
        MonitorRegistry monitors =
                new MonitorRegistry(
                        new MonitorRegistry.Options(
                                s.threshold.toNanos(),
                                s.checkInterval.toNanos(),
                                new AllowList(s.allow),
                                s.expect.stream().map(HotBackupConfiguration::key).toList(),
                                s.stateDir.resolve("monitors"),
                                s.probeTimeout.toNanos(),
                                s.probeOnDisconnect,
                                s.retention.toNanos()),
                        publisher,
                        rejections,
                        activity,
                        camelContext,
                        System::nanoTime,
                        probe::probe);
        monitors.setBacklog(backlog);
        camelContext.addService(monitors);
        registry.bind("monitors", monitors);
        registry.bind(
                "hotbackupConnectionGuard",
                FrameDecoders.connectionGuard(
                        s.maxConnections, s.maxConnectionsPerAddress, rejections));
        registry.bind("hotbackupLineDecoder", FrameDecoders.lineDecoder());
        registry.bind("hotbackupBacklog", backlog);
        registry.bind(
                "hotbackupFrameGate",
                FrameDecoders.frameGate(
                        rejections, s.idleTimeout.toNanos(), monitors::connectionClosed, backlog));
        List<String> controlled = new ArrayList<>(s.takeoverRoutes);
        Map<MonitorKey, List<String>> perPair = new java.util.LinkedHashMap<>();
        s.takeoverRoutesFor.forEach(
                (pair, routes) -> perPair.put(key(pair), new ArrayList<>(routes)));
        if (s.backup && emitter != null) {
            controlled.add(HeartbeatEmitter.ROUTE_ID);
            perPair.values().forEach(r -> r.add(HeartbeatEmitter.ROUTE_ID));
        }
        TakeoverPlan plan =
                new TakeoverPlan(
                        controlled,
                        perPair,
                        s.takeoverMode == HotBackupSettings.TakeoverMode.MANUAL,
                        s.failbackDelay.toNanos(),
                        monitors,
                        camelContext);
        camelContext.addService(plan);
        registry.bind("takeoverPlan", plan);
        RouteControl routeControl = new RouteControl(camelContext, emitter, closeWaitMillis(s));
        registry.bind("routeControl", routeControl);
        SignalMail mail = new SignalMail(s.host, s.mailSubject, s.mailBody, s.mailToFor);
        registry.bind("signalMail", mail);
        MailDeadLetters deadLetters =
                new MailDeadLetters(s.mailDeadLetterFile, s.mailTo, mail, activity, camelContext);
        camelContext.addService(deadLetters);
        registry.bind("mailDeadLetters", deadLetters);

        if (s.backup) {
            // full backup: nothing the live host does runs here until it is DEAD
            java.util.Set<String> all = new java.util.LinkedHashSet<>(plan.allRoutes());
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
        camelContext.addStartupListener(
                new StartupListener() {
                    @Override
                    public void onCamelContextStarting(
                            CamelContext context, boolean alreadyStarted) {
                        checkTakeoverRoutes(context, List.copyOf(s.allTakeoverRoutes()));
                    }

                    @Override
                    public void onCamelContextStarted(
                            CamelContext context, boolean alreadyStarted) {
                        // checked while starting
                    }
                });
        return new Listener(monitors, plan, rejections, routeControl, deadLetters);
    }

    private static MonitorKey key(String pair) {
        int slash = pair.lastIndexOf('/');
        return new MonitorKey(pair.substring(0, slash), pair.substring(slash + 1));
    }

    /**
     * Loads the pack's routes from one DSL only. Both sets are found by the include pattern and
     * share their route ids, so the twins of the other DSL are dropped before Camel checks that ids
     * are unique. A route filter the user configured (camel.main.route-filter-*) still applies.
     */
    private static void chooseDsl(CamelContext camelContext, HotBackupSettings.Dsl dsl) {
        Model model = camelContext.getCamelContextExtension().getContextPlugin(Model.class);
        Function<RouteDefinition, Boolean> previous = model.getRouteFilter();
        String other = dsl == HotBackupSettings.Dsl.YAML ? ".xml" : ".yaml";
        model.setRouteFilter(
                route -> {
                    if (previous != null && !previous.apply(route)) {
                        return false;
                    }
                    Resource resource = route.getResource();
                    return !(PACK_ROUTES.contains(route.getRouteId())
                            && resource != null
                            && resource.getLocation() != null
                            && resource.getLocation().endsWith(other));
                });
    }

    /** Refuses to start a backup that could not take over: every takeover route must exist. */
    static void checkTakeoverRoutes(CamelContext context, List<String> routes) {
        // routes are registered with the context only as they start; the model knows them all
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        List<String> problems = new ArrayList<>();
        for (String id : routes) {
            if (PACK_ROUTES.contains(id)) {
                problems.add(
                        "'" + id + "' is one of the pack's own routes and cannot be taken over");
            } else if (model.getRouteDefinition(id) == null) {
                problems.add("no route has the id '" + id + "'");
            }
        }
        if (!problems.isEmpty()) {
            List<String> known =
                    model.getRouteDefinitions().stream()
                            .map(RouteDefinition::getRouteId)
                            .filter(id -> !PACK_ROUTES.contains(id))
                            .sorted()
                            .toList();
            throw new IllegalArgumentException(
                    "hotbackup.takeover.routes: "
                            + String.join("; ", problems)
                            + ". Routes loaded from routes/: "
                            + known);
        }
    }

    private static long closeWaitMillis(HotBackupSettings s) {
        return Math.max(1000, Math.min(5000, s.heartbeatInterval.toMillis() * 3));
    }
}
