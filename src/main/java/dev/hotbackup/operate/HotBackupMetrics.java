package dev.hotbackup.operate;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.link.RejectReason;
import dev.hotbackup.link.Rejections;
import dev.hotbackup.mail.MailDeadLetters;
import dev.hotbackup.monitor.MonitorKey;
import dev.hotbackup.monitor.MonitorRegistry;
import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.monitor.MonitorView;
import dev.hotbackup.takeover.RouteControl;
import dev.hotbackup.takeover.TakeoverPlan;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pack's Prometheus metrics, on the Micrometer registry of camel-micrometer-prometheus ({@code
 * camel.metrics.enabled=true}; scraped at {@code /observe/metrics}):
 *
 * <ul>
 *   <li>{@code hotbackup_monitor_state{host,config}}: 0 WAITING, 1 LIVE, 2 DEAD, 3 CLOSE;
 *   <li>{@code hotbackup_heartbeat_age_seconds{host,config}}: time since the last accepted frame;
 *   <li>{@code hotbackup_frames_accepted_total}, {@code hotbackup_frames_rejected_total{reason}},
 *       {@code hotbackup_frames_waiting};
 *   <li>{@code hotbackup_signals_total{state}}; {@code hotbackup_operator_actions_total};
 *   <li>{@code hotbackup_route_control_seconds{action}}: takeover and release durations;
 *   <li>{@code hotbackup_taken_over}: hosts whose routes run here now;
 *   <li>{@code hotbackup_mails_total{result}}: sent, failed (an attempt), dead-letter.
 * </ul>
 *
 * Per-host meters are added as hosts appear and removed when they are evicted.
 */
public final class HotBackupMetrics extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(HotBackupMetrics.class);

    private final CamelContext camelContext;
    private final ActivityLog activity;
    private final MonitorRegistry monitors;
    private final Rejections rejections;
    private final TakeoverPlan plan;
    private final RouteControl routeControl;
    private final MailDeadLetters deadLetters;
    private final Map<MonitorKey, List<Meter>> perHost = new ConcurrentHashMap<>();
    private final Map<String, Meter> refused = new ConcurrentHashMap<>();
    private final Set<String> timedActions = new HashSet<>();
    private MeterRegistry registry;
    private ScheduledExecutorService refresher;

    public HotBackupMetrics(
            CamelContext camelContext,
            ActivityLog activity,
            MonitorRegistry monitors,
            Rejections rejections,
            TakeoverPlan plan,
            RouteControl routeControl,
            MailDeadLetters deadLetters) {
        this.camelContext = camelContext;
        this.activity = activity;
        this.monitors = monitors;
        this.rejections = rejections;
        this.plan = plan;
        this.routeControl = routeControl;
        this.deadLetters = deadLetters;
    }

    /** Binds the meters once Camel has started and its meter registry exists. */
    public void bind() {
        Set<MeterRegistry> found = camelContext.getRegistry().findByType(MeterRegistry.class);
        if (found.isEmpty()) {
            LOG.debug("No Micrometer registry (camel.metrics.enabled=false): no hotbackup metrics");
            return;
        }
        registry = found.iterator().next();
        FunctionCounter.builder("hotbackup.frames.accepted", monitors, MonitorRegistry::accepted)
                .description("heartbeat frames accepted")
                .register(registry);
        Gauge.builder("hotbackup.frames.waiting", monitors, MonitorRegistry::waiting)
                .description("heartbeat frames received and waiting in the listener's lanes")
                .register(registry);
        for (RejectReason r : RejectReason.values()) {
            FunctionCounter.builder("hotbackup.frames.rejected", rejections, x -> x.count(r))
                    .tag("reason", r.code())
                    .description("heartbeat frames and connections refused, by reason")
                    .register(registry);
        }
        for (String state : List.of("LIVE", "DEAD", "CLOSE")) {
            FunctionCounter.builder("hotbackup.signals", activity, a -> a.count("signal " + state))
                    .tag("state", state)
                    .description("signals produced, by state")
                    .register(registry);
        }
        FunctionCounter.builder("hotbackup.operator.actions", activity, a -> a.count("operator"))
                .description("takeovers and releases asked for by an operator")
                .register(registry);
        FunctionCounter.builder("hotbackup.mails", activity, a -> a.count("mail-sent"))
                .tag("result", "sent")
                .register(registry);
        FunctionCounter.builder("hotbackup.mails", activity, a -> a.count("mail-failed"))
                .tag("result", "failed")
                .register(registry);
        FunctionCounter.builder("hotbackup.mails", deadLetters, MailDeadLetters::count)
                .tag("result", "dead-letter")
                .description(
                        "mails sent, failed attempts, and mails written to the dead-letter file")
                .register(registry);
        Gauge.builder("hotbackup.taken.over", plan, p -> p.takenOver().size())
                .description("monitored hosts whose takeover routes run here now")
                .register(registry);
        refresher =
                camelContext
                        .getExecutorServiceManager()
                        .newSingleThreadScheduledExecutor(this, "hotbackup-metrics");
        refresher.scheduleWithFixedDelay(this::refresh, 0, 1, TimeUnit.SECONDS);
    }

    /** Adds meters of new hosts and actions, removes those of evicted hosts. */
    void refresh() {
        try {
            Set<MonitorKey> now = monitors.keys();
            for (MonitorKey k : now) {
                perHost.computeIfAbsent(k, this::hostMeters);
            }
            for (MonitorKey k : new ArrayList<>(perHost.keySet())) {
                if (!now.contains(k)) {
                    perHost.remove(k).forEach(registry::remove);
                }
            }
            refreshRefused();
            for (String action : routeControl.timings().keySet()) {
                if (timedActions.add(action)) {
                    FunctionTimer.builder(
                                    "hotbackup.route.control",
                                    routeControl,
                                    rc -> timing(rc, action).count(),
                                    rc -> timing(rc, action).totalNanos(),
                                    TimeUnit.NANOSECONDS)
                            .tag("action", action)
                            .description("time to start (takeover) or stop (release) the routes")
                            .register(registry);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot refresh hotbackup metrics: {}", e.toString());
        }
    }

    /**
     * One gauge per (host, config, address) whose frames fail the signature check, while they keep
     * coming: the count of refused frames, described with the likely cause.
     */
    private void refreshRefused() {
        Set<String> now = new HashSet<>();
        for (Rejections.RefusedHost r :
                rejections.refusedWithin(HotBackupStatus.REFUSED_SHOWN_NANOS)) {
            String key = r.claimed() + ' ' + r.address();
            now.add(key);
            refused.computeIfAbsent(
                    key,
                    k -> {
                        int slash = r.claimed().lastIndexOf('/');
                        return Gauge.builder(
                                        "hotbackup.frames.refused.signature",
                                        rejections,
                                        x -> count(x, r.claimed(), r.address()))
                                .tags(
                                        "host", r.claimed().substring(0, slash),
                                        "config", r.claimed().substring(slash + 1),
                                        "address", r.address())
                                .description(
                                        "frames refused by the signature check, by the host they"
                                                + " name: "
                                                + Rejections.SECRET_HINT)
                                .register(registry);
                    });
        }
        for (String key : new ArrayList<>(refused.keySet())) {
            if (!now.contains(key)) {
                registry.remove(refused.remove(key));
            }
        }
    }

    private static double count(Rejections rejections, String claimed, String address) {
        return rejections.refusedWithin(HotBackupStatus.REFUSED_SHOWN_NANOS).stream()
                .filter(r -> r.claimed().equals(claimed) && r.address().equals(address))
                .mapToLong(Rejections.RefusedHost::count)
                .findFirst()
                .orElse(0);
    }

    private static RouteControl.Timing timing(RouteControl rc, String action) {
        return rc.timings().getOrDefault(action, new RouteControl.Timing(0, 0));
    }

    private List<Meter> hostMeters(MonitorKey k) {
        List<Meter> meters = new ArrayList<>();
        meters.add(
                Gauge.builder(
                                "hotbackup.monitor.state",
                                monitors,
                                m -> {
                                    MonitorState st = m.stateOf(k.host(), k.config());
                                    return st == null ? Double.NaN : code(st);
                                })
                        .tags("host", k.host(), "config", k.config())
                        .description("0 WAITING, 1 LIVE, 2 DEAD, 3 CLOSE")
                        .register(registry));
        meters.add(
                Gauge.builder(
                                "hotbackup.heartbeat.age",
                                monitors,
                                m -> {
                                    MonitorView v = m.view(k);
                                    return v == null || v.heardAgoNanos() < 0
                                            ? Double.NaN
                                            : v.heardAgoNanos() / 1e9;
                                })
                        .tags("host", k.host(), "config", k.config())
                        .baseUnit("seconds")
                        .description("time since the host's last accepted heartbeat")
                        .register(registry));
        return meters;
    }

    static int code(MonitorState state) {
        return switch (state) {
            case WAITING -> 0;
            case LIVE -> 1;
            case DEAD -> 2;
            case CLOSE -> 3;
        };
    }

    @Override
    protected void doStop() {
        if (refresher != null) {
            camelContext.getExecutorServiceManager().shutdownNow(refresher);
            refresher = null;
        }
    }
}
