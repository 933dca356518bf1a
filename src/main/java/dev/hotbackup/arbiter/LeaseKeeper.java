package dev.hotbackup.arbiter;

import dev.hotbackup.support.Threads;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the leases this instance wants: asks the {@link Arbiter} for them, renews them, gives them
 * back, and fences on the local monotonic clock. A lease whose renewal has not been answered within
 * the deadline ({@link LeaseTiming}) closes its gate at once (no exchange starts under it) and its
 * listener stops the routes it guards, before the arbiter can grant it to anyone else. With a
 * gateway, a lease is asked for only while some gateway answers, and a held one is fenced when none
 * has for {@code fence-after}.
 *
 * <p>Two threads: one for the clock (deadlines, scheduling, listener calls), one for the calls to
 * the arbiter, which may block up to their timeout. A blocked call never delays a fence.
 */
public final class LeaseKeeper extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    /** The state of one lease here; transitions under the keeper's lock, reads lock-free. */
    private static final class Entry {
        final String key;
        volatile LeaseListener listener;
        volatile boolean wanted;
        volatile LeaseState state = LeaseState.WAITING;
        volatile long epoch = -1;

        /** Monotonic time the gate closes, while HELD. */
        volatile long validUntil;

        /** Monotonic time the last renewal (or the grant) that succeeded was sent. */
        volatile long renewedAt;

        volatile long nextTry;
        volatile String why = "not asked yet";
        volatile LeaseRecord heldBy;
        boolean renewFailing;
        boolean releasePending;
        String lastWaiting;
        final List<CompletableFuture<Attempt>> waiters = new ArrayList<>();

        Entry(String key) {
            this.key = key;
        }
    }

    /** One lease as this instance sees it, for the status page. */
    public record View(
            String key,
            LeaseState state,
            long epoch,
            long validForMillis,
            String why,
            LeaseRecord heldBy) {}

    private final Arbiter arbiter;
    private final Holder me;
    private final LeaseTiming timing;
    private final Gateway gateway;
    private final long fenceAfterNanos;
    private final LeaseEvents events;
    private final LongSupplier clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong grants = new AtomicLong();
    private final AtomicLong renewals = new AtomicLong();
    private final AtomicLong renewFailures = new AtomicLong();
    private final AtomicLong fences = new AtomicLong();
    private final AtomicLong releases = new AtomicLong();
    private ScheduledExecutorService ticker;
    private ExecutorService io;
    private boolean ioBusy;
    private long lastRenewAt;
    private volatile long gatewayOkAt;

    /** Monotonic time the gateway started answering without a break; 0 while it does not. */
    private volatile long gatewayUpSince;

    private volatile String gatewayProblem;
    private volatile String arbiterProblem;
    private volatile List<LeaseRecord> table = List.of();
    private volatile long tableAt = Long.MIN_VALUE;
    private volatile boolean tableWanted;
    private volatile String notesPrefix;
    private volatile Map<String, String> notes = Map.of();

    /**
     * @param gateway the gateway check, or {@code null}
     * @param fenceAfterNanos with a gateway: how long a holder may go without reaching one
     */
    public LeaseKeeper(
            Arbiter arbiter,
            Holder me,
            LeaseTiming timing,
            Gateway gateway,
            long fenceAfterNanos,
            LeaseEvents events,
            LongSupplier clock) {
        this.arbiter = arbiter;
        this.me = me;
        this.timing = timing;
        this.gateway = gateway;
        this.fenceAfterNanos = fenceAfterNanos;
        this.events = events;
        this.clock = clock;
    }

    public Holder holder() {
        return me;
    }

    public LeaseTiming timing() {
        return timing;
    }

    public String describeArbiter() {
        return arbiter.describe();
    }

    /**
     * Wants {@code key} from now on, until {@link #giveUp}. {@code listener} is told of each grant
     * and loss.
     *
     * @return the outcome of the next attempt (at once when the lease is held and valid)
     */
    public CompletableFuture<Attempt> want(String key, LeaseListener listener) {
        CompletableFuture<Attempt> next = new CompletableFuture<>();
        synchronized (this) {
            Entry e = entries.computeIfAbsent(key, Entry::new);
            e.listener = listener;
            e.wanted = true;
            e.releasePending = false;
            if (e.state == LeaseState.HELD && clock.getAsLong() < gateUntil(e)) {
                next.complete(new Attempt.Granted(e.epoch));
                return next;
            }
            e.waiters.add(next);
            e.nextTry = clock.getAsLong();
        }
        kick();
        return next;
    }

    /**
     * Wants {@code key} no more. A held lease is given back to the arbiter; the caller has stopped
     * what it guards.
     */
    public void giveUp(String key) {
        synchronized (this) {
            Entry e = entries.get(key);
            if (e == null) {
                return;
            }
            e.wanted = false;
            e.waiters.forEach(w -> w.complete(new Attempt.Unreachable("no longer wanted")));
            e.waiters.clear();
            if (e.state == LeaseState.HELD) {
                e.releasePending = true;
            } else {
                entries.remove(key);
            }
        }
        kick();
    }

    /** Whether {@code key} is wanted here. */
    public boolean wants(String key) {
        Entry e = entries.get(key);
        return e != null && e.wanted;
    }

    /**
     * The epoch {@code key} is held under, if its gate is open now; -1 otherwise. Called for every
     * exchange of a guarded route: no lock.
     */
    public long validEpoch(String key) {
        Entry e = entries.get(key);
        if (e == null || e.state != LeaseState.HELD || e.releasePending) {
            return -1;
        }
        return clock.getAsLong() < gateUntil(e) ? e.epoch : -1;
    }

    /**
     * The monotonic time by which whatever {@code key} guarded must have stopped: after it, the
     * arbiter may grant the lease elsewhere.
     */
    public long haltAt(String key) {
        Entry e = entries.get(key);
        return e == null ? clock.getAsLong() : satAdd(e.renewedAt, timing.haltNanos());
    }

    /** The leases this instance wants or holds. */
    public List<View> views() {
        long now = clock.getAsLong();
        List<View> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            long until = gateUntil(e);
            long valid =
                    e.state != LeaseState.HELD
                            ? 0
                            : until >= LeaseTiming.FOREVER / 2
                                    ? -1
                                    : TimeUnit.NANOSECONDS.toMillis(Math.max(0, until - now));
            out.add(new View(e.key, e.state, e.epoch, valid, e.why, e.heldBy));
        }
        out.sort((a, b) -> a.key().compareTo(b.key()));
        return out;
    }

    /** What this instance is: fenced, active, isolated, waiting or standby, in that precedence. */
    public Role role() {
        Set<LeaseState> seen = EnumSet.noneOf(LeaseState.class);
        for (Entry e : entries.values()) {
            if (e.wanted || e.state == LeaseState.HELD) {
                seen.add(e.state);
            }
        }
        if (seen.contains(LeaseState.FENCED)) {
            return Role.FENCED;
        }
        if (seen.contains(LeaseState.HELD)) {
            return Role.ACTIVE;
        }
        if (seen.contains(LeaseState.ISOLATED)) {
            return Role.ISOLATED;
        }
        return seen.contains(LeaseState.WAITING) ? Role.WAITING : Role.STANDBY;
    }

    /**
     * The arbiter's leases as last read; asks for a fresh read when this one is more than a second
     * old (answered by a later call).
     */
    public List<LeaseRecord> table() {
        if (clock.getAsLong() - tableAt > TimeUnit.SECONDS.toNanos(1)) {
            tableWanted = true;
            kick();
        }
        return table;
    }

    /**
     * Reads the arbiter's shared notes under {@code prefix} with every read of the table from now
     * on ({@link #notes()}).
     */
    public void watchNotes(String prefix) {
        notesPrefix = prefix;
        tableWanted = true;
        kick();
    }

    /** The shared notes as last read (asks for a fresh read like {@link #table()}). */
    public Map<String, String> notes() {
        table();
        return notes;
    }

    /**
     * Writes one shared note ({@code null} removes it) on the arbiter's thread, then reads the
     * notes again.
     *
     * @return completes when written, or exceptionally with the arbiter's reason
     */
    public CompletableFuture<Void> note(String name, String value) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ExecutorService x = io;
        if (x == null || x.isShutdown()) {
            done.completeExceptionally(new IllegalStateException("the lease keeper is stopped"));
            return done;
        }
        x.execute(
                () -> {
                    try {
                        arbiter.note(name, value);
                        String prefix = notesPrefix;
                        if (prefix != null) {
                            notes = Map.copyOf(arbiter.notes(prefix));
                        }
                        done.complete(null);
                    } catch (Exception e) {
                        done.completeExceptionally(e);
                    }
                });
        return done;
    }

    /** Why the arbiter did not answer the last call, or {@code null}. */
    public String arbiterProblem() {
        return arbiterProblem;
    }

    /** Why no gateway answered the last check, or {@code null} (also without a gateway). */
    public String gatewayProblem() {
        return gatewayProblem;
    }

    public long grants() {
        return grants.get();
    }

    public long renewals() {
        return renewals.get();
    }

    public long renewFailures() {
        return renewFailures.get();
    }

    public long fences() {
        return fences.get();
    }

    public long releases() {
        return releases.get();
    }

    /**
     * Fences every held lease at once: the arbiter says they may be lost (a ZooKeeper connection
     * SUSPENDED).
     */
    public void doubt(String why) {
        List<Runnable> calls = new ArrayList<>();
        synchronized (this) {
            for (Entry e : entries.values()) {
                if (e.state == LeaseState.HELD) {
                    fence(e, why, calls);
                }
            }
        }
        dispatch(calls);
    }

    @Override
    protected void doStart() throws Exception {
        ticker =
                Executors.newSingleThreadScheduledExecutor(
                        Threads.daemon("hotbackup-lease-keeper"));
        io = Executors.newSingleThreadExecutor(Threads.daemon("hotbackup-arbiter-io"));
        arbiter.onDoubt(this::doubt);
        long tick =
                Math.max(
                        TimeUnit.MILLISECONDS.toNanos(10),
                        Math.min(timing.renewNanos() / 4, TimeUnit.MILLISECONDS.toNanos(50)));
        ticker.scheduleAtFixedRate(this::tickSafely, tick, tick, TimeUnit.NANOSECONDS);
        if (gateway != null) {
            gatewayOkAt = clock.getAsLong();
            long every = Math.max(TimeUnit.MILLISECONDS.toNanos(100), fenceAfterNanos / 4);
            ticker.scheduleWithFixedDelay(this::checkGatewaySafely, 0, every, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (io != null) {
            io.shutdownNow();
            io.awaitTermination(timing.renewNanos(), TimeUnit.NANOSECONDS);
        }
        // the routes have stopped by now: give back what is held so a successor need not wait
        for (Entry e : entries.values()) {
            if (e.state == LeaseState.HELD) {
                try {
                    arbiter.release(e.key, me, e.epoch);
                    releases.incrementAndGet();
                    events.lease(e.key, "RELEASED", "epoch " + e.epoch + ", on stop");
                } catch (Exception ex) {
                    LOG.warn(
                            "Could not give back the lease {} on stop: {}", e.key, ex.getMessage());
                }
            }
        }
        entries.clear();
        arbiter.close();
    }

    // ---- the clock thread ----------------------------------------------------------------------

    private void kick() {
        ScheduledExecutorService t = ticker;
        if (t != null && !t.isShutdown()) {
            try {
                t.execute(this::tickSafely);
            } catch (RuntimeException e) {
                // stopping
            }
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("Lease keeper: {}", e.toString(), e);
        }
    }

    private void tick() {
        List<Runnable> calls = new ArrayList<>();
        long now = clock.getAsLong();
        Runnable work = null;
        synchronized (this) {
            for (Entry e : entries.values()) {
                if (e.state == LeaseState.HELD && now >= gateUntil(e)) {
                    fence(e, overdue(e, now), calls);
                }
            }
            if (!ioBusy) {
                work = ioWork(now);
                ioBusy = work != null;
            }
        }
        dispatch(calls);
        if (work != null) {
            try {
                io.execute(work);
            } catch (RuntimeException e) {
                synchronized (this) {
                    ioBusy = false;
                }
            }
        }
    }

    /** What the arbiter thread does next, or {@code null}: releases, renewal, requests, table. */
    private Runnable ioWork(long now) {
        List<Entry> release = new ArrayList<>();
        Map<String, Long> renew = new LinkedHashMap<>();
        List<Entry> acquire = new ArrayList<>();
        boolean renewDue = now - lastRenewAt >= timing.renewNanos();
        for (Entry e : entries.values()) {
            if (e.releasePending) {
                release.add(e);
            } else if (e.state == LeaseState.HELD) {
                if (renewDue) {
                    renew.put(e.key, e.epoch);
                }
            } else if (e.wanted && e.nextTry <= now) {
                acquire.add(e);
            }
        }
        boolean readTable = tableWanted;
        if (release.isEmpty() && renew.isEmpty() && acquire.isEmpty() && !readTable) {
            return null;
        }
        return () -> {
            try {
                callArbiter(release, renew, acquire, readTable);
            } catch (RuntimeException ex) {
                LOG.error("Lease keeper: {}", ex.toString(), ex);
            } finally {
                synchronized (this) {
                    ioBusy = false;
                }
            }
        };
    }

    private void fence(Entry e, String why, List<Runnable> calls) {
        long epoch = e.epoch;
        e.state = LeaseState.FENCED;
        e.validUntil = 0;
        e.why = why;
        fences.incrementAndGet();
        events.lease(e.key, "FENCED", "epoch " + epoch + ": " + why);
        LeaseListener l = e.listener;
        if (e.releasePending) {
            e.releasePending = false;
            entries.remove(e.key);
        }
        if (l != null) {
            calls.add(() -> l.lost(e.key, epoch, why));
        }
        if (e.wanted) {
            e.nextTry = clock.getAsLong();
        }
    }

    private String overdue(Entry e, long now) {
        long sinceRenew = TimeUnit.NANOSECONDS.toMillis(now - e.renewedAt);
        if (gateway != null && now >= satAdd(gatewayOkAt, fenceAfterNanos)) {
            return "no gateway reachable for "
                    + TimeUnit.NANOSECONDS.toMillis(now - gatewayOkAt)
                    + " ms (hotbackup.gateway.fence-after): "
                    + gatewayProblem;
        }
        return "no renewal answered for "
                + sinceRenew
                + " ms (deadline "
                + TimeUnit.NANOSECONDS.toMillis(timing.deadlineNanos())
                + " ms)"
                + (arbiterProblem == null ? "" : ": " + arbiterProblem);
    }

    private long gateUntil(Entry e) {
        long until = e.validUntil;
        if (gateway != null) {
            until = Math.min(until, satAdd(gatewayOkAt, fenceAfterNanos));
        }
        return until;
    }

    private void checkGatewaySafely() {
        long sent = clock.getAsLong();
        String problem;
        try {
            problem = gateway.check();
        } catch (RuntimeException e) {
            problem = e.toString();
        }
        String before = gatewayProblem;
        gatewayAnswered(problem, sent);
        if (problem == null) {
            if (before != null) {
                LOG.info("Gateway {} reachable again", gateway);
            }
        } else if (before == null) {
            LOG.warn("Gateway check: {}", problem);
        }
    }

    private void gatewayAnswered(String problem, long sent) {
        if (problem == null) {
            gatewayOkAt = Math.max(gatewayOkAt, sent);
            if (gatewayUpSince == 0) {
                gatewayUpSince = sent;
            }
        } else {
            gatewayUpSince = 0;
        }
        gatewayProblem = problem;
    }

    private void dispatch(List<Runnable> calls) {
        if (calls.isEmpty()) {
            return;
        }
        ScheduledExecutorService t = ticker;
        for (Runnable r : calls) {
            Runnable safe =
                    () -> {
                        try {
                            r.run();
                        } catch (RuntimeException ex) {
                            LOG.error("Lease listener failed: {}", ex.toString(), ex);
                        }
                    };
            if (t != null && Thread.currentThread().getName().equals("hotbackup-lease-keeper")) {
                safe.run();
            } else if (t != null && !t.isShutdown()) {
                t.execute(safe);
            }
        }
    }

    // ---- the arbiter thread --------------------------------------------------------------------

    private void callArbiter(
            List<Entry> release, Map<String, Long> renew, List<Entry> acquire, boolean readTable) {
        List<Runnable> calls = new ArrayList<>();
        for (Entry e : release) {
            long epoch = e.epoch;
            try {
                arbiter.release(e.key, me, epoch);
                releases.incrementAndGet();
                events.lease(e.key, "RELEASED", "epoch " + epoch);
            } catch (Exception ex) {
                events.lease(
                        e.key,
                        "RELEASED",
                        "epoch "
                                + epoch
                                + " not given back ("
                                + ex.getMessage()
                                + "): it lapses on its own");
            }
            synchronized (this) {
                if (e.releasePending) {
                    e.releasePending = false;
                    e.state = LeaseState.WAITING;
                    e.validUntil = 0;
                    if (e.wanted) {
                        e.nextTry = clock.getAsLong();
                    } else {
                        entries.remove(e.key);
                    }
                }
            }
        }
        if (!renew.isEmpty()) {
            long sent = clock.getAsLong();
            Map<String, Attempt> answers = arbiter.renew(renew, me, timing.leaseMillis());
            synchronized (this) {
                lastRenewAt = sent;
                for (Map.Entry<String, Long> r : renew.entrySet()) {
                    Entry e = entries.get(r.getKey());
                    if (e == null || e.state != LeaseState.HELD || e.epoch != r.getValue()) {
                        continue;
                    }
                    renewed(e, answers.get(r.getKey()), sent, calls);
                }
            }
        }
        if (!acquire.isEmpty()) {
            String isolated = null;
            if (gateway != null) {
                long sent = clock.getAsLong();
                isolated = gateway.check();
                gatewayAnswered(isolated, sent);
                long up = sent - gatewayUpSince;
                if (isolated == null && !arbiter.arbitrates() && up < gateway.resumeNanos()) {
                    isolated =
                            "the gateway has answered for "
                                    + TimeUnit.NANOSECONDS.toMillis(up)
                                    + " ms only; without an arbiter nothing guarded starts until"
                                    + " it has for "
                                    + TimeUnit.NANOSECONDS.toMillis(gateway.resumeNanos())
                                    + " ms (hotbackup.gateway.resume-after)";
                }
            }
            for (Entry e : acquire) {
                if (!e.wanted) {
                    continue;
                }
                long sent = clock.getAsLong();
                Attempt a =
                        isolated != null
                                ? new Attempt.Unreachable(isolated)
                                : arbiter.acquire(e.key, me, timing.leaseMillis());
                synchronized (this) {
                    answered(e, a, sent, isolated != null, calls);
                }
            }
        }
        if (readTable) {
            tableWanted = false;
            try {
                table = List.copyOf(arbiter.table());
                String prefix = notesPrefix;
                if (prefix != null) {
                    notes = Map.copyOf(arbiter.notes(prefix));
                }
                tableAt = clock.getAsLong();
            } catch (Exception ex) {
                arbiterProblem = ex.getMessage();
            }
        }
        dispatch(calls);
    }

    private void renewed(Entry e, Attempt a, long sent, List<Runnable> calls) {
        if (a instanceof Attempt.Granted) {
            renewals.incrementAndGet();
            arbiterProblem = null;
            e.validUntil = satAdd(sent, timing.deadlineNanos());
            e.renewedAt = sent;
            if (e.renewFailing) {
                e.renewFailing = false;
                events.lease(e.key, "RENEWED", "epoch " + e.epoch + ": renewed again");
            }
        } else if (a instanceof Attempt.Held held) {
            arbiterProblem = null;
            e.heldBy = held.by();
            fence(e, "the arbiter no longer has it as ours: " + held.by().describe(), calls);
        } else {
            String why = a == null ? "no answer" : ((Attempt.Unreachable) a).why();
            arbiterProblem = why;
            renewFailures.incrementAndGet();
            if (!e.renewFailing) {
                e.renewFailing = true;
                events.lease(e.key, "RENEW-FAILED", "epoch " + e.epoch + ": " + why);
            }
        }
    }

    private void answered(Entry e, Attempt a, long sent, boolean isolated, List<Runnable> calls) {
        long now = clock.getAsLong();
        List<CompletableFuture<Attempt>> waiters = new ArrayList<>(e.waiters);
        e.waiters.clear();
        if (a instanceof Attempt.Granted g) {
            arbiterProblem = null;
            grants.incrementAndGet();
            e.state = LeaseState.HELD;
            e.epoch = g.epoch();
            e.renewedAt = sent;
            e.validUntil = satAdd(sent, timing.deadlineNanos());
            e.why = "held";
            e.heldBy = null;
            e.renewFailing = false;
            e.lastWaiting = null;
            events.lease(e.key, "GRANTED", "epoch " + g.epoch() + " to " + me);
            if (!e.wanted) {
                e.releasePending = true;
            } else {
                LeaseListener l = e.listener;
                calls.add(() -> l.granted(e.key, g.epoch()));
            }
        } else if (a instanceof Attempt.Held held) {
            arbiterProblem = null;
            LeaseRecord by = held.by();
            e.heldBy = by;
            e.why = "waiting for the lease " + by.describe();
            if (e.state != LeaseState.FENCED) {
                e.state = LeaseState.WAITING;
            }
            long wait =
                    by.remainingMillis() > 0
                            ? Math.min(
                                    TimeUnit.MILLISECONDS.toNanos(by.remainingMillis() + 20),
                                    timing.renewNanos())
                            : timing.retryNanos();
            e.nextTry = now + wait;
            schedule(wait);
            String note = by.holder() + "/" + by.epoch();
            if (!note.equals(e.lastWaiting)) {
                e.lastWaiting = note;
                events.lease(e.key, "WAITING", e.why);
            }
        } else {
            String why = ((Attempt.Unreachable) a).why();
            if (isolated) {
                e.why = "isolated: " + why;
                if (e.state != LeaseState.FENCED) {
                    e.state = LeaseState.ISOLATED;
                }
            } else {
                arbiterProblem = why;
                e.why = "the arbiter does not answer: " + why;
                if (e.state != LeaseState.FENCED) {
                    e.state = LeaseState.WAITING;
                }
            }
            e.nextTry = now + timing.retryNanos();
            schedule(timing.retryNanos());
            String note = (isolated ? "ISOLATED" : "WAITING") + why;
            if (!note.equals(e.lastWaiting)) {
                e.lastWaiting = note;
                events.lease(e.key, isolated ? "ISOLATED" : "WAITING", e.why);
            }
        }
        waiters.forEach(w -> w.complete(a));
    }

    private void schedule(long delayNanos) {
        ScheduledExecutorService t = ticker;
        if (t != null && !t.isShutdown()) {
            try {
                t.schedule(this::tickSafely, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RuntimeException e) {
                // stopping
            }
        }
    }

    private static long satAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
