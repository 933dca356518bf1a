package dev.hotbackup.operate;

import dev.hotbackup.arbiter.LeaseKeeper;
import dev.hotbackup.arbiter.LeaseState;
import dev.hotbackup.arbiter.Role;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The leases' Prometheus metrics:
 *
 * <ul>
 *   <li>{@code hotbackup_arbiter_role{role}}: 1 for this instance's role (active, standby, waiting,
 *       isolated, fenced), 0 for the others;
 *   <li>{@code hotbackup_arbiter_reachable}: 1 when the arbiter answered the last call;
 *   <li>{@code hotbackup_lease_held{lease}}, {@code hotbackup_lease_epoch{lease}}: per lease wanted
 *       or held here;
 *   <li>{@code hotbackup_lease_grants_total}, {@code _renewals_total}, {@code
 *       _renew_failures_total}, {@code _fences_total}, {@code _releases_total}.
 * </ul>
 */
public final class ArbiterMetrics extends ServiceSupport {

    private final CamelContext camelContext;
    private final LeaseKeeper keeper;
    private final Map<String, LeaseKeeper.View> last = new ConcurrentHashMap<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private MeterRegistry registry;
    private ScheduledExecutorService refresher;

    public ArbiterMetrics(CamelContext camelContext, LeaseKeeper keeper) {
        this.camelContext = camelContext;
        this.keeper = keeper;
    }

    /** Binds the meters once Camel has started and its meter registry exists. */
    public void bind() {
        Set<MeterRegistry> found = camelContext.getRegistry().findByType(MeterRegistry.class);
        if (found.isEmpty()) {
            return;
        }
        registry = found.iterator().next();
        for (Role r : Role.values()) {
            Gauge.builder("hotbackup.arbiter.role", keeper, k -> k.role() == r ? 1 : 0)
                    .tag("role", r.name().toLowerCase(Locale.ROOT))
                    .description("this instance's role as far as leases go")
                    .register(registry);
        }
        Gauge.builder(
                        "hotbackup.arbiter.reachable",
                        keeper,
                        k -> k.arbiterProblem() == null ? 1 : 0)
                .description("1 when the arbiter answered the last call")
                .register(registry);
        counter("hotbackup.lease.grants", LeaseKeeper::grants, "leases granted to this instance");
        counter("hotbackup.lease.renewals", LeaseKeeper::renewals, "renewals that succeeded");
        counter(
                "hotbackup.lease.renew.failures",
                LeaseKeeper::renewFailures,
                "renewals the arbiter did not answer");
        counter("hotbackup.lease.fences", LeaseKeeper::fences, "leases lost and fenced here");
        counter("hotbackup.lease.releases", LeaseKeeper::releases, "leases given back");
        refresher =
                camelContext
                        .getExecutorServiceManager()
                        .newSingleThreadScheduledExecutor(this, "hotbackup-lease-metrics");
        refresher.scheduleWithFixedDelay(this::refresh, 0, 1, TimeUnit.SECONDS);
    }

    private void counter(
            String name, java.util.function.ToDoubleFunction<LeaseKeeper> f, String description) {
        FunctionCounter.builder(name, keeper, f).description(description).register(registry);
    }

    /** Meters for leases that appeared since the last refresh. */
    private void refresh() {
        for (LeaseKeeper.View v : keeper.views()) {
            last.put(v.key(), v);
            if (registered.add(v.key())) {
                String key = v.key();
                Gauge.builder(
                                "hotbackup.lease.held",
                                last,
                                m -> {
                                    LeaseKeeper.View x = m.get(key);
                                    return x != null && x.state() == LeaseState.HELD ? 1 : 0;
                                })
                        .tag("lease", key)
                        .description("1 while this instance holds the lease")
                        .register(registry);
                Gauge.builder(
                                "hotbackup.lease.epoch",
                                last,
                                m -> {
                                    LeaseKeeper.View x = m.get(key);
                                    return x == null ? -1 : x.epoch();
                                })
                        .tag("lease", key)
                        .description("the epoch of the lease's last grant seen here")
                        .register(registry);
            }
        }
    }

    @Override
    protected void doStop() {
        if (refresher != null) {
            camelContext.getExecutorServiceManager().shutdownNow(refresher);
            refresher = null;
        }
    }
}
