package dev.hotbackup.arbiter;

import dev.hotbackup.routes.Headers;
import dev.hotbackup.support.Causes;
import dev.hotbackup.support.Threads;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes that run only under a lease: a gate on each (no exchange starts unless a lease it is
 * bound to is valid now, and each carries {@code HotBackupEpoch}), and the stop when a lease is
 * lost, with the halt if a route does not stop in time. Which lease a route runs under is bound by
 * whoever starts it: the live host's own lease for {@code hotbackup.arbiter.routes}, a dead host's
 * lease for its takeover routes.
 */
public final class GuardedRoutes extends ServiceSupport implements RoutePolicyFactory {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedRoutes.class);

    private final CamelContext camelContext;
    private final LeaseKeeper keeper;
    private final Set<String> guarded;
    private final boolean halt;
    private final Consumer<String> beforeStop;
    private final LeaseEvents events;
    private final LongSupplier clock;
    private final Map<String, Set<String>> leasesOfRoute = new ConcurrentHashMap<>();
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService control;

    /**
     * @param guarded the route ids guarded here; any other route is left alone
     * @param halt {@code hotbackup.arbiter.on-stuck=halt}: halt the process when a fenced route
     *     does not stop in time; else log an error
     * @param beforeStop called with a route id just before it is stopped for a fence (the heartbeat
     *     emitter says CLOSE)
     */
    public GuardedRoutes(
            CamelContext camelContext,
            LeaseKeeper keeper,
            Collection<String> guarded,
            boolean halt,
            Consumer<String> beforeStop,
            LeaseEvents events,
            LongSupplier clock) {
        this.camelContext = camelContext;
        this.keeper = keeper;
        this.guarded = Set.copyOf(guarded);
        this.halt = halt;
        this.beforeStop = beforeStop;
        this.events = events;
        this.clock = clock;
    }

    /** Every guarded route id. */
    public Set<String> guarded() {
        return guarded;
    }

    /** From now on, {@code routes} run under the lease {@code key} (among others they have). */
    public void bind(String key, Collection<String> routes) {
        for (String r : routes) {
            leasesOfRoute.computeIfAbsent(r, x -> ConcurrentHashMap.newKeySet()).add(key);
        }
    }

    /** {@code routes} no longer run under {@code key}. */
    public void unbind(String key) {
        leasesOfRoute.values().forEach(keys -> keys.remove(key));
    }

    /** The lease and epoch a route's next exchange runs under, or {@code null}. */
    public Map.Entry<String, Long> leaseOf(String routeId) {
        Set<String> keys = leasesOfRoute.get(routeId);
        if (keys != null) {
            for (String k : keys) {
                long epoch = keeper.validEpoch(k);
                if (epoch >= 0) {
                    return Map.entry(k, epoch);
                }
            }
        }
        return null;
    }

    /**
     * Starts {@code routes} under {@code key} (the live host's own routes on a grant), on the
     * control thread.
     */
    public void startUnder(String key, long epoch, List<String> routes) {
        bind(key, routes);
        control.execute(
                () -> {
                    List<String> outcomes = new ArrayList<>();
                    for (String id : routes) {
                        if (keeper.validEpoch(key) != epoch) {
                            outcomes.add(id + ": not started, the lease was lost meanwhile");
                            continue;
                        }
                        try {
                            ServiceStatus st = camelContext.getRouteController().getRouteStatus(id);
                            if (st != null && st.isStarted()) {
                                outcomes.add(id + ": already running");
                            } else {
                                camelContext.getRouteController().startRoute(id);
                                outcomes.add(id + ": started");
                            }
                        } catch (Exception e) {
                            outcomes.add(id + ": failed to start: " + Causes.rootMessage(e));
                        }
                    }
                    events.lease(
                            key, "ACTIVE", "epoch " + epoch + ": " + String.join("; ", outcomes));
                });
    }

    /**
     * Gives up {@code key} by choice (its work moves to another member): stops each route bound to
     * it that no other valid lease keeps, on the control thread, then runs {@code then} (which
     * gives the lease back). Until then the lease stays held, so nobody else starts the routes
     * while they still stop here.
     */
    public void release(String key, long epoch, String why, Runnable then) {
        control.execute(
                () -> {
                    List<String> toStop = new ArrayList<>();
                    for (Map.Entry<String, Set<String>> r : leasesOfRoute.entrySet()) {
                        if (r.getValue().contains(key)) {
                            Set<String> others = new java.util.HashSet<>(r.getValue());
                            others.remove(key);
                            if (others.stream().noneMatch(k -> keeper.validEpoch(k) >= 0)) {
                                toStop.add(r.getKey());
                            }
                        }
                    }
                    List<String> outcomes = new ArrayList<>();
                    stopping.addAll(toStop);
                    for (String id : toStop) {
                        try {
                            beforeStop.accept(id);
                            camelContext.getRouteController().stopRoute(id);
                            outcomes.add(id + ": stopped");
                        } catch (Exception e) {
                            outcomes.add(id + ": failed to stop: " + Causes.rootMessage(e));
                        } finally {
                            stopping.remove(id);
                        }
                    }
                    unbind(key);
                    events.lease(
                            key,
                            "RELEASING",
                            "epoch "
                                    + epoch
                                    + " ("
                                    + why
                                    + "): "
                                    + (outcomes.isEmpty()
                                            ? "no route to stop"
                                            : String.join("; ", outcomes)));
                    then.run();
                });
    }

    /**
     * The lease {@code key} is lost: its gate is closed already; stops each route bound to it that
     * no other valid lease keeps, and halts (or logs) if one has not stopped by the time the
     * arbiter may grant the lease elsewhere.
     *
     * @return the routes being stopped
     */
    public List<String> fence(String key, long epoch, String why) {
        List<String> toStop = new ArrayList<>();
        for (Map.Entry<String, Set<String>> r : leasesOfRoute.entrySet()) {
            if (r.getValue().remove(key) && leaseOf(r.getKey()) == null) {
                toStop.add(r.getKey());
            }
        }
        long haltAt = Math.max(keeper.haltAt(key), clock.getAsLong() + MIN_STOP_NANOS);
        stop(key, epoch, toStop, haltAt, why);
        return toStop;
    }

    /** A fenced route always gets at least this long to stop, even when found late. */
    static final long MIN_STOP_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private void stop(String key, long epoch, List<String> routes, long haltAt, String why) {
        if (routes.isEmpty()) {
            return;
        }
        stopping.addAll(routes);
        control.execute(
                () -> {
                    List<String> outcomes = new ArrayList<>();
                    for (String id : routes) {
                        long left = Math.max(1, haltAt - clock.getAsLong());
                        try {
                            beforeStop.accept(id);
                            camelContext
                                    .getRouteController()
                                    .stopRoute(
                                            id,
                                            Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)),
                                            TimeUnit.MILLISECONDS);
                            outcomes.add(id + ": stopped");
                        } catch (Exception e) {
                            outcomes.add(id + ": failed to stop: " + Causes.rootMessage(e));
                        } finally {
                            stopping.remove(id);
                        }
                    }
                    events.lease(
                            key,
                            "STOPPED",
                            "epoch "
                                    + epoch
                                    + " fenced ("
                                    + why
                                    + "): "
                                    + String.join("; ", outcomes));
                });
        long delay = Math.max(0, haltAt - clock.getAsLong());
        control.schedule(() -> checkStopped(key, epoch, routes), delay, TimeUnit.NANOSECONDS);
    }

    /**
     * At the halt time: no exchange of a fenced route may still be in flight. Its gate has been
     * closed since the deadline, so none started since; a route still stopping (Camel's graceful
     * stop looks again once a second) with nothing in flight runs nothing.
     */
    private void checkStopped(String key, long epoch, List<String> routes) {
        List<String> running = new ArrayList<>();
        for (String id : routes) {
            if (leaseOf(id) != null) {
                continue; // granted again meanwhile
            }
            int inflight = camelContext.getInflightRepository().size(id);
            if (inflight > 0) {
                running.add(
                        id
                                + " ("
                                + camelContext.getRouteController().getRouteStatus(id)
                                + ", "
                                + inflight
                                + " in flight)");
            }
        }
        if (running.isEmpty()) {
            return;
        }
        String what =
                "guarded routes "
                        + running
                        + " still run after losing the lease "
                        + key
                        + " (epoch "
                        + epoch
                        + "), and the arbiter may grant it elsewhere now";
        if (halt) {
            LOG.error("{}: halting the process (hotbackup.arbiter.on-stuck=halt)", what);
            events.lease(key, "HALT", what);
            Runtime.getRuntime().halt(3);
        } else {
            LOG.error("{}: two instances may run them (hotbackup.arbiter.on-stuck=log)", what);
            events.lease(key, "STUCK", what);
        }
    }

    @Override
    public RoutePolicy createRoutePolicy(
            CamelContext camelContext, String routeId, NamedNode route) {
        return guarded.contains(routeId) ? new Gate(routeId) : null;
    }

    /** Lets an exchange start only under a valid lease, and stamps it with the epoch. */
    private final class Gate extends RoutePolicySupport {
        private final String routeId;

        Gate(String routeId) {
            this.routeId = routeId;
        }

        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            Map.Entry<String, Long> lease = leaseOf(routeId);
            if (lease != null) {
                exchange.getIn().setHeader(Headers.LEASE, lease.getKey());
                exchange.getIn().setHeader(Headers.EPOCH, lease.getValue());
                return;
            }
            exchange.setException(new LeaseNotHeldException(routeId));
            if (stopping.add(routeId)) {
                // started by hand, or its lease just lapsed: it runs under no lease, so it stops
                control.execute(
                        () -> {
                            try {
                                if (leaseOf(routeId) == null) {
                                    LOG.warn(
                                            "Route {} runs under no lease it is bound to: stopping"
                                                    + " it",
                                            routeId);
                                    camelContext.getRouteController().stopRoute(routeId);
                                }
                            } catch (Exception e) {
                                LOG.error("Cannot stop {}: {}", routeId, Causes.rootMessage(e));
                            } finally {
                                stopping.remove(routeId);
                            }
                        });
            }
        }
    }

    /** An exchange refused because its route holds no valid lease: one line, no stack trace. */
    public static final class LeaseNotHeldException extends RuntimeException {
        LeaseNotHeldException(String routeId) {
            super(
                    "route " + routeId + " holds no valid lease: exchange refused",
                    null,
                    false,
                    false);
        }
    }

    @Override
    protected void doStart() {
        control = Executors.newSingleThreadScheduledExecutor(Threads.daemon("hotbackup-guard"));
    }

    @Override
    protected void doStop() {
        if (control != null) {
            control.shutdownNow();
        }
    }

    /** Route ids in {@code routes} that are not guarded here. */
    public List<String> notGuarded(Collection<String> routes) {
        Set<String> out = new LinkedHashSet<>(routes);
        out.removeAll(guarded);
        return List.copyOf(out);
    }
}
