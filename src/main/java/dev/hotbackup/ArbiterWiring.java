package dev.hotbackup;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.arbiter.Arbiter;
import dev.hotbackup.arbiter.ArbiterSetupException;
import dev.hotbackup.arbiter.Gateway;
import dev.hotbackup.arbiter.GatewayOnly;
import dev.hotbackup.arbiter.GuardedRoutes;
import dev.hotbackup.arbiter.Holder;
import dev.hotbackup.arbiter.LeaseEvents;
import dev.hotbackup.arbiter.LeaseKeeper;
import dev.hotbackup.arbiter.LeaseListener;
import dev.hotbackup.arbiter.LeaseTiming;
import dev.hotbackup.arbiter.file.FileArbiter;
import dev.hotbackup.arbiter.jdbc.JdbcArbiter;
import dev.hotbackup.arbiter.zookeeper.ZooKeeperArbiter;
import dev.hotbackup.config.HotBackupSettings;
import dev.hotbackup.config.InvalidConfigurationException;
import dev.hotbackup.config.Keys.ArbiterKind;
import dev.hotbackup.emitter.HeartbeatEmitter;
import dev.hotbackup.link.jdbc.PairRole;
import dev.hotbackup.mail.EventMail;
import dev.hotbackup.monitor.MonitorKey;
import dev.hotbackup.routes.PackRoute;
import dev.hotbackup.support.Startup;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Never two actives: the arbiter, the lease keeper, the gate on every guarded route, and the live
 * host's own lease over {@code hotbackup.arbiter.routes}. The backup's takeover leases are wired
 * with the listener ({@link ListenerWiring}).
 */
final class ArbiterWiring {

    private static final Logger LOG = LoggerFactory.getLogger(ArbiterWiring.class);

    /** What the listener, the status page and the health check use. */
    record Arbitration(LeaseKeeper keeper, GuardedRoutes guarded, long firstAnswerMillis) {}

    private ArbiterWiring() {}

    /** The arbitration, or {@code null} when no lease is kept here. */
    static Arbitration wire(
            CamelContext camelContext,
            HotBackupSettings s,
            ActivityLog activity,
            HeartbeatEmitter emitter,
            PairRole pair)
            throws Exception {
        if (!s.guardsLeases()) {
            return null;
        }
        Arbiter arbiter = arbiter(s);
        String unreachable;
        try {
            unreachable = arbiter.start();
        } catch (ArbiterSetupException e) {
            throw new InvalidConfigurationException(List.of(e.key() + ": " + e.getMessage()));
        }
        long configured = s.lease.toNanos();
        long granted = TimeUnit.MILLISECONDS.toNanos(arbiter.leaseMillis(s.lease.toMillis()));
        LeaseTiming timing;
        if (s.arbiter == ArbiterKind.NONE) {
            timing = LeaseTiming.withoutArbiter();
        } else {
            // ZooKeeper may grant another session timeout than asked: scale everything to it
            double scale = (double) granted / configured;
            if (granted != configured) {
                LOG.warn(
                        "ZooKeeper granted a session timeout of {} ms instead of {} ms: lease"
                                + " timing scaled to it",
                        TimeUnit.NANOSECONDS.toMillis(granted),
                        s.lease.toMillis());
            }
            timing =
                    new LeaseTiming(
                            granted,
                            (long) (s.renewInterval.toNanos() * scale),
                            (long) (s.renewDeadline.toNanos() * scale),
                            granted * 9 / 10,
                            Math.min(
                                    (long) (s.renewInterval.toNanos() * scale),
                                    TimeUnit.MILLISECONDS.toNanos(250)));
        }
        Holder me = Holder.forThisRun(s.host);
        Gateway gateway =
                s.gateway.isEmpty()
                        ? null
                        : new Gateway(
                                s.gateway.stream()
                                        .map(
                                                h ->
                                                        InetSocketAddress.createUnresolved(
                                                                h.host(), h.port()))
                                        .toList(),
                                (int) s.gatewayTimeout.toMillis(),
                                s.gatewayResumeAfter.toNanos());
        Events events = new Events(activity, s.mailEnabled(), camelContext);
        LeaseKeeper keeper =
                new LeaseKeeper(
                        arbiter,
                        me,
                        timing,
                        gateway,
                        s.gatewayFenceAfter.toNanos(),
                        events,
                        System::nanoTime);
        camelContext.addService(keeper);
        camelContext.getRegistry().bind("hotbackupLeases", keeper);

        Set<String> guardedIds = new LinkedHashSet<>(s.arbiterRoutes);
        if (s.listenerEnabled()) {
            guardedIds.addAll(s.allTakeoverRoutes());
        }
        if (s.group != null) {
            guardedIds.addAll(s.group.allRoutes());
        }
        guardedIds.remove(PackRoute.HEARTBEAT_EMITTER.id());
        long closeWait = EmitterWiring.closeWaitMillis(s);
        GuardedRoutes guarded =
                new GuardedRoutes(
                        camelContext,
                        keeper,
                        guardedIds,
                        s.haltOnStuck,
                        id -> {
                            if (emitter != null && id.equals(PackRoute.HEARTBEAT_EMITTER.id())) {
                                emitter.closeAndWait(closeWait);
                            }
                        },
                        events,
                        System::nanoTime);
        camelContext.addService(guarded);
        camelContext.addRoutePolicyFactory(guarded);
        excludeFromAutoStartup(camelContext, guardedIds);

        LOG.info(
                "Arbiter {} for {} ({}); guarded routes {}",
                arbiter.describe(),
                me,
                timing,
                guardedIds);
        if (unreachable != null) {
            LOG.warn(
                    "Arbiter {} cannot be reached now ({}): nothing guarded runs here until it"
                            + " answers",
                    arbiter.describe(),
                    unreachable);
        }
        if (pair != null && pair.registeredAs() == PairRole.Role.PRIMARY) {
            primary(camelContext, s, keeper, guarded, pair);
        } else if (!s.arbiterRoutes.isEmpty()) {
            String own = new MonitorKey(s.host, s.config).toString();
            List<String> routes = List.copyOf(s.arbiterRoutes);
            LeaseListener ownLease =
                    new LeaseListener() {
                        @Override
                        public void granted(String key, long epoch) {
                            guarded.startUnder(key, epoch, routes);
                        }

                        @Override
                        public void lost(String key, long epoch, String why) {
                            guarded.fence(key, epoch, why);
                        }
                    };
            // once every route exists and the others have started
            Startup.whenFullyStarted(camelContext, () -> keeper.want(own, ownLease));
        }
        return new Arbitration(
                keeper,
                guarded,
                Math.max(200, Math.min(2000, TimeUnit.NANOSECONDS.toMillis(timing.renewNanos()))));
    }

    /**
     * The registered primary of a pair: runs the pair's routes under the pair's lease. A lost lease
     * (the database away for longer than the renew deadline) stops them and makes it the standby,
     * and it goes on asking: granted again before the other instance took over (the database was
     * back soon), it is the primary again; otherwise it gets the lease back only once the other one
     * lets go of it.
     */
    private static void primary(
            CamelContext camelContext,
            HotBackupSettings s,
            LeaseKeeper keeper,
            GuardedRoutes guarded,
            PairRole pair)
            throws Exception {
        List<String> routes = List.copyOf(s.takeoverRoutes);
        LeaseListener lease =
                new LeaseListener() {
                    @Override
                    public void granted(String key, long epoch) {
                        guarded.startUnder(key, epoch, routes);
                        pair.primary("holds the lease " + key + " (epoch " + epoch + ")");
                    }

                    @Override
                    public void lost(String key, long epoch, String why) {
                        guarded.fence(key, epoch, why);
                        pair.standby("lost the lease " + key + ": " + why);
                    }
                };
        Startup.whenFullyStarted(camelContext, () -> keeper.want(pair.leaseKey(), lease));
    }

    private static Arbiter arbiter(HotBackupSettings s) {
        long callTimeout = Math.max(250, s.renewInterval.toMillis());
        return switch (s.arbiter) {
            case JDBC ->
                    new JdbcArbiter(
                            s.jdbcUrl, s.jdbcUsername, s.jdbcPassword, s.jdbcTable, callTimeout);
            case ZOOKEEPER ->
                    new ZooKeeperArbiter(
                            s.zookeeperConnect,
                            s.zookeeperBasePath,
                            s.zookeeperSessionTimeout.toMillis(),
                            callTimeout);
            case FILE -> new FileArbiter(Path.of(s.filePath));
            case NONE -> new GatewayOnly();
        };
    }

    /** Guarded routes run only under a lease, whatever their autoStartup says. */
    private static void excludeFromAutoStartup(CamelContext camelContext, Set<String> routes) {
        if (routes.isEmpty()) {
            return;
        }
        String pattern = String.join(",", routes);
        String existing = camelContext.getAutoStartupExcludePattern();
        camelContext.setAutoStartupExcludePattern(
                existing == null || existing.isBlank() ? pattern : existing + "," + pattern);
    }

    /** Lease events to the INFO log and the activity log; a fence also by mail. */
    private static final class Events implements LeaseEvents {
        private final ActivityLog activity;
        private final EventMail mail;

        Events(ActivityLog activity, boolean mail, CamelContext camelContext) {
            this.activity = activity;
            this.mail = mail ? new EventMail(camelContext) : null;
        }

        @Override
        public void lease(String key, String state, String detail) {
            MonitorKey k = MonitorKey.parse(key);
            if (state.equals("RENEW-FAILED") || state.equals("FENCED") || state.equals("HALT")) {
                LOG.warn("Lease {} {}: {}", key, state, detail);
            } else {
                LOG.info("Lease {} {}: {}", key, state, detail);
            }
            activity.record("lease", k.host(), k.config(), state, detail);
            if (mail != null && state.equals("FENCED")) {
                mail.send(
                        k.host(),
                        k.config(),
                        "FENCED",
                        detail,
                        "fence",
                        List.of("guarded routes stopped: " + detail));
            }
        }
    }
}
