package dev.hotbackup.takeover;

import dev.hotbackup.monitor.MonitorKey;
import dev.hotbackup.monitor.MonitorRegistry;
import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.routes.Endpoints;
import dev.hotbackup.routes.Headers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which routes the signal router starts or stops for a signal, given the action the XPath
 * router chose. Remembers which monitored hosts are taken over, so that a LIVE from one host does
 * not stop routes that another host, DEAD and taken over here, still needs. With a failback delay,
 * a LIVE host must stay LIVE that long before its routes are released here: a flapping host does
 * not make the backup start and stop them again and again.
 */
public final class TakeoverPlan extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(TakeoverPlan.class);

    /** Start the takeover routes: the monitored host is DEAD (or CLOSE, if so configured). */
    public static final String TAKEOVER = "takeover";

    /** Stop the takeover routes: the monitored host is LIVE again. */
    public static final String RELEASE = "release";

    /** Keep the routes running until the failback delay has passed. */
    public static final String HOLD = "hold";

    /** Touch no route; mail and log only. */
    public static final String NOTIFY = "notify";

    /** No takeover yet: the dead host's lease is held elsewhere, or no gateway answers. */
    public static final String WAIT = "wait";

    /** A LIVE host's routes keep running here under its lease (failback without preemption). */
    public static final String KEEP = "keep";

    private final List<String> routes;
    private final Map<MonitorKey, List<String>> perHost;
    private final boolean manual;
    private final long failbackNanos;
    private final MonitorRegistry monitors;
    private final CamelContext camelContext;
    private final TakeoverLeases leases;
    private final Set<MonitorKey> takenOver = new LinkedHashSet<>();
    private volatile Set<String> groupMembers = Set.of();
    private volatile String groupName;
    private ProducerTemplate template;
    private ScheduledExecutorService timer;

    /**
     * @param routes route ids to start on takeover and stop on release, in order, for a host with
     *     no list of its own; in full-backup mode the heartbeat emitter is the last of them
     * @param perHost route ids of hosts that have their own list ({@code
     *     hotbackup.takeover.routes.<host>/<config>})
     * @param manual {@code hotbackup.takeover.mode=manual}: DEAD only alerts, an operator takes
     *     over
     * @param failbackNanos how long a LIVE host must stay LIVE before release; 0 releases at once
     * @param leases with an arbiter: the leases takeovers run under; {@code null} without
     */
    public TakeoverPlan(
            List<String> routes,
            Map<MonitorKey, List<String>> perHost,
            boolean manual,
            long failbackNanos,
            MonitorRegistry monitors,
            CamelContext camelContext,
            TakeoverLeases leases) {
        this.leases = leases;
        if (leases != null) {
            leases.attach(this);
        }
        this.routes = List.copyOf(routes);
        this.perHost = Map.copyOf(perHost);
        this.manual = manual;
        this.failbackNanos = failbackNanos;
        this.monitors = monitors;
        this.camelContext = camelContext;
    }

    /**
     * The members of this instance's group: their signals only notify here, since their work moves
     * by the group's processing map (under their own leases), not by takeover routes.
     */
    public void groupMembers(String group, Set<String> members) {
        this.groupName = group;
        this.groupMembers = Set.copyOf(members);
    }

    /** Whether {@code host} is a member of this instance's group. */
    public boolean inGroup(String host) {
        return groupMembers.contains(host);
    }

    /** The routes taken over for one host. */
    public List<String> routesFor(MonitorKey key) {
        return perHost.getOrDefault(key, routes);
    }

    /** Every route this plan may start or stop. */
    public Set<String> allRoutes() {
        Set<String> all = new LinkedHashSet<>(routes);
        perHost.values().forEach(all::addAll);
        return all;
    }

    /**
     * Sets {@link Headers#ROUTES} to the route ids to act on, and {@link Headers#OUTCOMES} to notes
     * about routes deliberately left alone. Called by the single signal-router consumer, one signal
     * at a time.
     */
    public synchronized void plan(Exchange exchange) {
        exchange.setProperty(Headers.PLANNED_AT, System.nanoTime());
        String force = exchange.getIn().getHeader(Headers.FORCE, String.class);
        String action =
                force != null
                        ? force
                        : exchange.getIn().getHeader(Headers.ACTION, NOTIFY, String.class);
        exchange.getIn().setHeader(Headers.ACTION, action);
        MonitorKey key =
                new MonitorKey(
                        exchange.getIn().getHeader(Headers.HOST, String.class),
                        exchange.getIn().getHeader(Headers.CONFIG, String.class));
        List<String> act = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (groupMembers.contains(key.host())
                && (TAKEOVER.equals(action) || RELEASE.equals(action))) {
            exchange.getIn().setHeader(Headers.ACTION, NOTIFY);
            notes.add(
                    "member of group "
                            + groupName
                            + ": its work moves by the processing map (see /hotbackup/status)");
            action = NOTIFY;
        }
        switch (action) {
            case TAKEOVER -> {
                boolean granted = exchange.getIn().getHeader(Headers.LEASE_GRANTED) != null;
                if (granted && (leases == null || !leases.stillWanted(key))) {
                    exchange.getIn().setHeader(Headers.ACTION, NOTIFY);
                    notes.add("lease granted once no takeover was due any more: given back");
                    if (leases != null && !takenOver.contains(key)) {
                        leases.forget(key);
                    }
                    break;
                }
                if (manual && force == null && !granted) {
                    exchange.getIn().setHeader(Headers.ACTION, NOTIFY);
                    notes.add(
                            "manual takeover mode: "
                                    + routesFor(key)
                                    + " not started; an operator takes over with POST"
                                    + " /hotbackup/monitors/"
                                    + key
                                    + "/takeover or the JMX operation takeover");
                    break;
                }
                if (leases != null) {
                    String[] why = new String[1];
                    long epoch = leases.forTakeover(key, exchange, routesFor(key), why);
                    if (epoch < 0) {
                        exchange.getIn().setHeader(Headers.ACTION, WAIT);
                        notes.add(why[0]);
                        break;
                    }
                    notes.add("under the lease " + key + ", epoch " + epoch);
                }
                takenOver.add(key);
                act.addAll(routesFor(key));
            }
            case RELEASE -> {
                if (leases != null && !takenOver.contains(key) && leases.forget(key)) {
                    notes.add("no takeover waits for the lease any more");
                }
                if (leases != null
                        && leases.keepOnLive()
                        && force == null
                        && takenOver.contains(key)) {
                    exchange.getIn().setHeader(Headers.ACTION, KEEP);
                    notes.add(
                            routesFor(key)
                                    + " keep running here under the lease"
                                    + " (hotbackup.arbiter.failback=keep): "
                                    + key
                                    + " waits as the standby; release with POST"
                                    + " /hotbackup/monitors/"
                                    + key
                                    + "/release");
                    break;
                }
                boolean due = exchange.getIn().getHeader(Headers.FAILBACK_DUE) != null;
                if (failbackNanos > 0 && !due && force == null && takenOver.contains(key)) {
                    holdDown(exchange, key);
                    exchange.getIn().setHeader(Headers.ACTION, HOLD);
                    notes.add(
                            "routes keep running until "
                                    + key
                                    + " has been LIVE for "
                                    + TimeUnit.NANOSECONDS.toMillis(failbackNanos)
                                    + " ms (hotbackup.takeover.failback-delay)");
                    break;
                }
                takenOver.remove(key);
                for (String r : routesFor(key)) {
                    List<MonitorKey> still =
                            takenOver.stream().filter(k -> routesFor(k).contains(r)).toList();
                    if (still.isEmpty()) {
                        act.add(r);
                    } else {
                        notes.add(r + ": kept running, still taken over for " + still);
                    }
                }
            }
            default -> {
                // notify only
            }
        }
        exchange.getIn().setHeader(Headers.ROUTES, act);
        exchange.getIn().setHeader(Headers.OUTCOMES, notes);
    }

    /** After the failback delay, hands the LIVE signal back if the host stayed LIVE throughout. */
    private void holdDown(Exchange exchange, MonitorKey key) {
        long since = monitors.stateSinceNanos(key);
        // the signal's text: the router's body is its parsed document by now
        Object signal = exchange.getProperty(Headers.SIGNAL);
        Object xml = signal != null ? signal : exchange.getIn().getBody();
        Map<String, Object> headers = new HashMap<>();
        for (String h :
                List.of(
                        Headers.HOST,
                        Headers.CONFIG,
                        Headers.STATE,
                        Headers.TIME,
                        Headers.DETAIL)) {
            headers.put(h, exchange.getIn().getHeader(h));
        }
        headers.put(Headers.FAILBACK_DUE, Boolean.TRUE);
        timer.schedule(
                () -> {
                    if (monitors.stateOf(key.host(), key.config()) == MonitorState.LIVE
                            && monitors.stateSinceNanos(key) == since) {
                        template.sendBodyAndHeaders(Endpoints.SIGNALS, xml, headers);
                    } else {
                        LOG.info(
                                "{} did not stay LIVE for the failback delay: routes keep running",
                                key);
                    }
                },
                failbackNanos,
                TimeUnit.NANOSECONDS);
    }

    /**
     * After the signal router acted: the lease of a released host is given back, now that its
     * routes have stopped, and the note joins the outcomes.
     */
    public void done(Exchange exchange) {
        if (leases == null
                || !RELEASE.equals(exchange.getIn().getHeader(Headers.ACTION, String.class))) {
            return;
        }
        MonitorKey key =
                new MonitorKey(
                        exchange.getIn().getHeader(Headers.HOST, String.class),
                        exchange.getIn().getHeader(Headers.CONFIG, String.class));
        String note;
        synchronized (this) {
            if (takenOver.contains(key)) {
                return; // taken over again meanwhile
            }
            note = leases.release(key);
        }
        if (note != null) {
            List<String> outcomes = new ArrayList<>();
            List<?> before = exchange.getIn().getHeader(Headers.OUTCOMES, List.class);
            if (before != null) {
                before.forEach(o -> outcomes.add(String.valueOf(o)));
            }
            outcomes.add(note);
            exchange.getIn().setHeader(Headers.OUTCOMES, outcomes);
        }
    }

    /** The lease of {@code key} was lost while taken over: its routes were stopped. */
    synchronized void fenced(MonitorKey key, List<String> stopped) {
        if (takenOver.remove(key)) {
            LOG.warn("{} is no longer taken over here: lease lost, {} stopped", key, stopped);
        }
    }

    /** With an arbiter: the hosts whose takeover waits for their lease; else empty. */
    public List<String> waitingForLease() {
        return leases == null ? List.of() : leases.waiting();
    }

    /** Hosts currently taken over here. */
    public synchronized Set<MonitorKey> takenOver() {
        return Set.copyOf(takenOver);
    }

    @Override
    protected void doStart() throws Exception {
        template = camelContext.createProducerTemplate();
        timer =
                camelContext
                        .getExecutorServiceManager()
                        .newSingleThreadScheduledExecutor(this, "hotbackup-failback");
    }

    @Override
    protected void doStop() throws Exception {
        if (timer != null) {
            camelContext.getExecutorServiceManager().shutdownNow(timer);
        }
        if (template != null) {
            template.stop();
        }
    }
}
