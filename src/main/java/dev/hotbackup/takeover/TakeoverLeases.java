package dev.hotbackup.takeover;

import dev.hotbackup.arbiter.Attempt;
import dev.hotbackup.arbiter.GuardedRoutes;
import dev.hotbackup.arbiter.LeaseKeeper;
import dev.hotbackup.arbiter.LeaseListener;
import dev.hotbackup.link.jdbc.PairRole;
import dev.hotbackup.monitor.MonitorKey;
import dev.hotbackup.routes.Endpoints;
import dev.hotbackup.routes.Headers;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The backup's side of the leases: a takeover goes ahead only under the dead host's lease. When the
 * lease is held elsewhere (the host is cut off from this backup but not from the arbiter) the
 * signal is kept, the keeper goes on asking, and once the lease is granted the same signal is
 * handed back to the signal router, which then starts the routes. A lease lost while taken over
 * stops the routes at once (the keeper has closed their gate already) and is asked for again.
 */
public final class TakeoverLeases extends ServiceSupport implements LeaseListener {

    /** A takeover signal waiting for its lease: the signal XML and its headers. */
    private record Pending(Object body, Map<String, Object> headers) {}

    private final LeaseKeeper keeper;
    private final GuardedRoutes guarded;
    private final boolean keepOnLive;
    private final long firstAnswerMillis;
    private final CamelContext camelContext;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Pending> active = new ConcurrentHashMap<>();
    private final Set<String> asking = ConcurrentHashMap.newKeySet();
    private final Map<String, MonitorKey> hostOfLease = new ConcurrentHashMap<>();
    private final PairRole pair;
    private volatile TakeoverPlan plan;
    private ProducerTemplate template;

    /**
     * @param keepOnLive {@code hotbackup.arbiter.failback=keep}
     * @param firstAnswerMillis how long the signal router waits for the arbiter's first answer
     *     before it notes "waiting" and goes on with the next signal
     * @param pair with roles from the heartbeat table, this instance's role: every takeover is then
     *     under the pair's one lease, and holding it makes this instance the primary; {@code null}
     *     otherwise (each host's takeover under that host's lease)
     */
    public TakeoverLeases(
            LeaseKeeper keeper,
            GuardedRoutes guarded,
            boolean keepOnLive,
            long firstAnswerMillis,
            CamelContext camelContext,
            PairRole pair) {
        this.pair = pair;
        this.keeper = keeper;
        this.guarded = guarded;
        this.keepOnLive = keepOnLive;
        this.firstAnswerMillis = firstAnswerMillis;
        this.camelContext = camelContext;
    }

    void attach(TakeoverPlan plan) {
        this.plan = plan;
    }

    /** Whether a LIVE host's routes keep running here under its lease. */
    boolean keepOnLive() {
        return keepOnLive;
    }

    /** Hosts whose takeover waits for their lease (or for a gateway). */
    public List<String> waiting() {
        return pending.keySet().stream().sorted().toList();
    }

    /**
     * Asks for the lease of {@code key} before a takeover.
     *
     * @return the epoch when held, or -1 with the reason in {@code why[0]}; the signal is then kept
     *     and handed back once the lease is granted
     */
    long forTakeover(MonitorKey key, Exchange signal, List<String> routes, String[] why) {
        String k = leaseKey(key);
        hostOfLease.put(k, key);
        Pending p = snapshot(signal);
        long epoch = keeper.validEpoch(k);
        if (epoch < 0) {
            pending.put(k, p);
            Attempt a;
            // a grant while this call waits for it is this call's: the keeper's callback must not
            // hand the same signal back a second time (a second takeover entry, a second mail)
            asking.add(k);
            try {
                a = keeper.want(k, this).get(firstAnswerMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                a =
                        new Attempt.Unreachable(
                                "the arbiter has not answered within " + firstAnswerMillis + " ms");
            } catch (Exception e) {
                a = new Attempt.Unreachable(e.toString());
            } finally {
                asking.remove(k);
            }
            // granted by the answer, or meanwhile (its callback then left it to this call)
            epoch = keeper.validEpoch(k);
            if (epoch < 0) {
                why[0] =
                        "not taken over: "
                                + keeper.views().stream()
                                        .filter(v -> v.key().equals(k))
                                        .map(v -> v.why())
                                        .findFirst()
                                        .orElse(describe(a))
                                + "; asking again until the lease is granted or the host is LIVE";
                return -1;
            }
        }
        pending.remove(k);
        active.put(k, p);
        guarded.bind(k, routes);
        if (pair != null) {
            pair.primary("took over " + key + " under the lease " + k + " (epoch " + epoch + ")");
        }
        return epoch;
    }

    /** The lease a takeover of {@code key} runs under: the host's own, or the pair's. */
    private String leaseKey(MonitorKey key) {
        return pair != null ? pair.leaseKey() : key.toString();
    }

    /** Whether a signal handed back after a grant still has a takeover waiting for it. */
    boolean stillWanted(MonitorKey key) {
        String k = leaseKey(key);
        return pending.containsKey(k) && keeper.validEpoch(k) >= 0;
    }

    /**
     * The host is LIVE again (or an operator released it): no takeover waits any more. Returns
     * whether it was only waiting (then nothing ran here).
     */
    boolean forget(MonitorKey key) {
        String k = leaseKey(key);
        boolean wasWaiting = pending.remove(k) != null;
        // the pair's lease may be held by this instance as the registered primary: not ours to drop
        if (!active.containsKey(k) && (pair == null || wasWaiting)) {
            keeper.giveUp(k);
        }
        return wasWaiting;
    }

    /** After the routes of a released host stopped: gives its lease back. Returns a note. */
    String release(MonitorKey key) {
        String k = leaseKey(key);
        active.remove(k);
        pending.remove(k);
        long epoch = keeper.validEpoch(k);
        guarded.unbind(k);
        keeper.giveUp(k);
        if (pair != null) {
            pair.standby(key + " is LIVE again: its routes were given back");
        }
        return epoch >= 0 ? "lease " + k + " given back (epoch " + epoch + ")" : null;
    }

    @Override
    public void granted(String key, long epoch) {
        if (asking.contains(key)) {
            return; // forTakeover is waiting for this very grant and goes on by itself
        }
        Pending p = pending.get(key);
        if (p == null) {
            if (!active.containsKey(key)) {
                keeper.giveUp(key); // the host came back meanwhile
            }
            return;
        }
        Map<String, Object> headers = new HashMap<>(p.headers());
        headers.put(Headers.LEASE_GRANTED, epoch);
        headers.put(Headers.TIME, Instant.now().toString());
        template.asyncRequestBodyAndHeaders(Endpoints.SIGNALS, p.body(), headers);
    }

    @Override
    public void lost(String key, long epoch, String why) {
        List<String> stopped = guarded.fence(key, epoch, why);
        Pending p = active.remove(key);
        if (pair != null) {
            pair.standby("lost the lease " + key + ": " + why);
        }
        TakeoverPlan pl = plan;
        if (pl != null) {
            pl.fenced(hostOfLease.getOrDefault(key, MonitorKey.parse(key)), stopped);
        }
        if (p != null) {
            // asked for again: when granted, the same takeover resumes under a new epoch
            pending.put(key, p);
        }
    }

    private static Pending snapshot(Exchange signal) {
        Map<String, Object> headers = new HashMap<>();
        for (String h :
                List.of(
                        Headers.HOST,
                        Headers.CONFIG,
                        Headers.STATE,
                        Headers.DETAIL,
                        Headers.FORCE,
                        Headers.OPERATOR)) {
            Object v = signal.getIn().getHeader(h);
            if (v != null) {
                headers.put(h, v);
            }
        }
        Object body = signal.getProperty(Headers.SIGNAL);
        return new Pending(body != null ? body : signal.getIn().getBody(), headers);
    }

    private static String describe(Attempt a) {
        if (a instanceof Attempt.Held h) {
            return "waiting for the lease " + h.by().describe();
        }
        if (a instanceof Attempt.Unreachable u) {
            return u.why();
        }
        return String.valueOf(a);
    }

    @Override
    protected void doStart() {
        template = camelContext.createProducerTemplate();
    }

    @Override
    protected void doStop() throws Exception {
        if (template != null) {
            template.stop();
        }
    }
}
