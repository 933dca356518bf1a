package dev.hotbackup.operate;

import dev.hotbackup.group.GroupMember;
import dev.hotbackup.group.Liveness;
import dev.hotbackup.group.Unit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The group view in Prometheus, refreshed once a second:
 *
 * <ul>
 *   <li>{@code hotbackup_group_member_up{group,member}}: 1 while the member is alive (as seen
 *       here);
 *   <li>{@code hotbackup_group_master{group,member}}: 1 for the member holding the master role;
 *   <li>{@code hotbackup_group_unit_owner{group,unit,member}}: 1 for the member running the unit;
 *   <li>{@code hotbackup_group_unit_epoch{group,unit}}: the epoch it runs under, -1 when nobody.
 * </ul>
 */
public final class GroupMetrics extends ServiceSupport {

    private final CamelContext camelContext;
    private final GroupMember group;
    private volatile GroupMember.View view;
    private ScheduledExecutorService refresher;

    public GroupMetrics(CamelContext camelContext, GroupMember group) {
        this.camelContext = camelContext;
        this.group = group;
    }

    /** Binds the meters once Camel has started and its meter registry exists. */
    public void bind() {
        Set<MeterRegistry> found = camelContext.getRegistry().findByType(MeterRegistry.class);
        if (found.isEmpty()) {
            return;
        }
        MeterRegistry registry = found.iterator().next();
        view = group.view();
        String g = group.spec().name();
        for (String m : group.spec().hosts()) {
            Gauge.builder("hotbackup.group.member.up", this, x -> x.member(m, true))
                    .tags("group", g, "member", m)
                    .description("1 while the member is alive, as this member sees it")
                    .register(registry);
            Gauge.builder("hotbackup.group.master", this, x -> x.member(m, false))
                    .tags("group", g, "member", m)
                    .description("1 for the member holding the master role")
                    .register(registry);
            for (Unit u : group.units()) {
                Gauge.builder("hotbackup.group.unit.owner", this, x -> x.owner(u.id(), m))
                        .tags("group", g, "unit", u.id(), "member", m)
                        .description("1 for the member running the unit")
                        .register(registry);
            }
        }
        for (Unit u : group.units()) {
            Gauge.builder("hotbackup.group.unit.epoch", this, x -> x.epoch(u.id()))
                    .tags("group", g, "unit", u.id())
                    .description("the epoch the unit runs under; -1 when nobody runs it")
                    .register(registry);
        }
        refresher =
                camelContext
                        .getExecutorServiceManager()
                        .newSingleThreadScheduledExecutor(this, "hotbackup-group-metrics");
        refresher.scheduleWithFixedDelay(() -> view = group.view(), 1, 1, TimeUnit.SECONDS);
    }

    private double member(String host, boolean up) {
        GroupMember.View v = view;
        if (v == null) {
            return 0;
        }
        return v.members().stream()
                        .anyMatch(
                                m ->
                                        m.host().equals(host)
                                                && (up
                                                        ? m.liveness() == Liveness.ALIVE
                                                        : m.master()))
                ? 1
                : 0;
    }

    private double owner(String unit, String member) {
        GroupMember.View v = view;
        return v != null
                        && v.map().stream()
                                .anyMatch(u -> u.id().equals(unit) && member.equals(u.runsOn()))
                ? 1
                : 0;
    }

    private double epoch(String unit) {
        GroupMember.View v = view;
        if (v == null) {
            return -1;
        }
        return v.map().stream()
                .filter(u -> u.id().equals(unit))
                .mapToLong(GroupMember.UnitView::epoch)
                .findFirst()
                .orElse(-1);
    }

    @Override
    protected void doStop() {
        if (refresher != null) {
            camelContext.getExecutorServiceManager().shutdownNow(refresher);
            refresher = null;
        }
    }
}
