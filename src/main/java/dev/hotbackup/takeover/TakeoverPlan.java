package dev.hotbackup.takeover;

import dev.hotbackup.Headers;
import dev.hotbackup.monitor.MonitorKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * Decides which routes the signal router starts or stops for a signal, given the action the XPath
 * router chose. Remembers which monitored pairs are taken over, so that a LIVE from one host does
 * not stop routes that still cover another host that is DEAD.
 */
public final class TakeoverPlan {

    /** Start the takeover routes: the monitored host is DEAD (or CLOSE, if so configured). */
    public static final String TAKEOVER = "takeover";

    /** Stop the takeover routes: the monitored host is LIVE again. */
    public static final String RELEASE = "release";

    /** Touch no route; mail and log only. */
    public static final String NOTIFY = "notify";

    private final List<String> routes;
    private final Set<MonitorKey> covered = new LinkedHashSet<>();

    /**
     * @param routes route ids to start on takeover and stop on release, in order; in full-backup
     *     mode the heartbeat emitter is the last of them
     */
    public TakeoverPlan(List<String> routes) {
        this.routes = List.copyOf(routes);
    }

    /** The routes this plan controls. */
    public List<String> routes() {
        return routes;
    }

    /**
     * Sets {@link Headers#ROUTES} to the route ids to act on, and {@link Headers#OUTCOMES} to notes
     * about routes deliberately left alone. Called by the single signal-router consumer, one signal
     * at a time.
     */
    public synchronized void plan(Exchange exchange) {
        String action = exchange.getIn().getHeader(Headers.ACTION, NOTIFY, String.class);
        MonitorKey key =
                new MonitorKey(
                        exchange.getIn().getHeader(Headers.HOST, String.class),
                        exchange.getIn().getHeader(Headers.CONFIG, String.class));
        List<String> act = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        switch (action) {
            case TAKEOVER -> {
                covered.add(key);
                act.addAll(routes);
            }
            case RELEASE -> {
                covered.remove(key);
                if (covered.isEmpty()) {
                    act.addAll(routes);
                } else {
                    for (String r : routes) {
                        notes.add(r + ": kept running, still covering " + covered);
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

    /** Pairs currently taken over here. */
    public synchronized Set<MonitorKey> covered() {
        return Set.copyOf(covered);
    }
}
