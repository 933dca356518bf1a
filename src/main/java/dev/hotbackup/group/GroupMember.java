package dev.hotbackup.group;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.arbiter.GuardedRoutes;
import dev.hotbackup.arbiter.LeaseKeeper;
import dev.hotbackup.arbiter.LeaseListener;
import dev.hotbackup.arbiter.LeaseRecord;
import dev.hotbackup.monitor.MonitorRegistry;
import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.support.Threads;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance as a member of its group: every {@value #TICK_MILLIS} ms it looks at which members
 * are alive (its listener's states of their heartbeats), who holds each unit's lease (the arbiter's
 * table) and the operator's moves (the arbiter's notes), decides with the {@link ProcessingMap} who
 * should run each unit, and asks for, or gives back, the leases of the units that are, or are no
 * longer, its own. A granted lease starts the unit's routes; a lost one stops them (the {@link
 * GuardedRoutes} gate has closed already); a unit that moves elsewhere stops here before its lease
 * is given back.
 */
public final class GroupMember extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(GroupMember.class);

    static final long TICK_MILLIS = 100;

    /** The arbiter's note for an operator's move: {@code group/<name>/<unit id>}. */
    static String noteName(String group, Unit unit) {
        return "group/" + group + "/" + unit.id();
    }

    /** One unit as this member handles it. */
    private final class Slot implements LeaseListener {
        final Unit unit;
        volatile boolean wanted;
        volatile boolean releasing;
        volatile String desired;
        volatile String lastNote;
        volatile String seenHolder;
        volatile long seenEpoch = -1;
        volatile Instant seenSince;

        Slot(Unit unit) {
            this.unit = unit;
        }

        @Override
        public void granted(String key, long epoch) {
            if (!me.equals(desired)) {
                // moved on meanwhile: give it back at the next tick
                return;
            }
            String how = unit.isMaster() ? "MASTER" : unit.member().equals(me) ? "OWN" : "TAKEOVER";
            record(
                    unit,
                    how,
                    me
                            + " runs "
                            + unit.describe(spec.name())
                            + " "
                            + unit.routes()
                            + " under epoch "
                            + epoch);
            guarded.startUnder(key, epoch, unit.routes());
            String moved = target(keeper.notes().get(noteName(spec.name(), unit)));
            if (moved != null && !moved.equals(me) && liveness(moved) != Liveness.ALIVE) {
                // the operator's target died and this member has the unit now: the move is over
                keeper.note(noteName(spec.name(), unit), null);
                event(
                        "group-move",
                        unit,
                        me,
                        "the move of "
                                + unit.describe(spec.name())
                                + " to "
                                + moved
                                + " ends: "
                                + moved
                                + " is not alive and "
                                + me
                                + " runs it now");
            }
        }

        @Override
        public void lost(String key, long epoch, String why) {
            guarded.fence(key, epoch, why);
            record(
                    unit,
                    "FENCED",
                    me + " stops " + unit.describe(spec.name()) + " (epoch " + epoch + "): " + why);
        }
    }

    private final GroupSpec spec;
    private final String me;
    private final String config;
    private final LeaseKeeper keeper;
    private final GuardedRoutes guarded;
    private final MonitorRegistry monitors;
    private final ActivityLog activity;
    private final ProcessingMap map;
    private final LongSupplier clock;
    private final Map<String, Slot> slots = new LinkedHashMap<>();

    /** The tick's own: since when each live member has been alive, and what it was last tick. */
    private final Map<String, Long> aliveSince = new HashMap<>();

    private final Map<String, Liveness> lastLiveness = new HashMap<>();
    private ScheduledExecutorService ticker;

    public GroupMember(
            GroupSpec spec,
            String me,
            String config,
            long failbackNanos,
            LeaseKeeper keeper,
            GuardedRoutes guarded,
            MonitorRegistry monitors,
            ActivityLog activity,
            LongSupplier clock) {
        this.spec = spec;
        this.me = me;
        this.config = config;
        this.keeper = keeper;
        this.guarded = guarded;
        this.monitors = monitors;
        this.activity = activity;
        this.map = new ProcessingMap(spec, failbackNanos);
        this.clock = clock;
        for (Unit u : Unit.of(spec, config)) {
            slots.put(u.id(), new Slot(u));
        }
    }

    public GroupSpec spec() {
        return spec;
    }

    public String me() {
        return me;
    }

    /** The units of this group, in processing-map order. */
    public List<Unit> units() {
        return slots.values().stream().map(s -> s.unit).toList();
    }

    // ---- the decision, every tick ---------------------------------------------------------------

    /** What this member sees now. */
    ProcessingMap.Sight sight() {
        long now = clock.getAsLong();
        Map<String, Liveness> liveness = new HashMap<>();
        Map<String, Long> aliveFor = new HashMap<>();
        for (String m : spec.hosts()) {
            Liveness l = liveness(m);
            liveness.put(m, l);
            if (l == Liveness.ALIVE) {
                long since = aliveSince.computeIfAbsent(m, x -> now);
                aliveFor.put(m, now - since);
            } else {
                aliveSince.remove(m);
            }
        }
        return new ProcessingMap.Sight(liveness, aliveFor);
    }

    private Liveness liveness(String member) {
        if (member.equals(me)) {
            return Liveness.ALIVE;
        }
        MonitorState st = monitors.stateOf(member, config);
        if (st == null || st == MonitorState.WAITING) {
            return Liveness.UNKNOWN;
        }
        return st == MonitorState.LIVE ? Liveness.ALIVE : Liveness.DOWN;
    }

    /** The arbiter's held leases as last read, by lease key. */
    private Map<String, LeaseRecord> holders() {
        Map<String, LeaseRecord> out = new HashMap<>();
        for (LeaseRecord r : keeper.table()) {
            if (r.held()) {
                out.put(r.key(), r);
            }
        }
        return out;
    }

    private String holderOf(Slot s, Map<String, LeaseRecord> table) {
        long epoch = keeper.validEpoch(s.unit.leaseKey());
        if (epoch >= 0) {
            return me;
        }
        LeaseRecord r = table.get(s.unit.leaseKey());
        if (r == null || r.holder().host().equals(me)) {
            return null; // our own record, but our gate is closed: not ours to count on
        }
        return r.holder().host();
    }

    /** The member an operator's move note ({@code to<TAB>who<TAB>when}) names, or {@code null}. */
    private static String target(String note) {
        if (note == null) {
            return null;
        }
        int tab = note.indexOf('\t');
        return tab < 0 ? note : note.substring(0, tab);
    }

    void tick() {
        ProcessingMap.Sight sight = sight();
        noteLivenessChanges(sight);
        Map<String, LeaseRecord> table = holders();
        Map<String, String> notes = keeper.notes();
        for (Slot s : slots.values()) {
            String holder = holderOf(s, table);
            track(s, table.get(s.unit.leaseKey()));
            String note = notes.get(noteName(spec.name(), s.unit));
            if (note != null && !note.equals(s.lastNote)) {
                LOG.info(
                        "Group {}: {} moved to {}",
                        spec.name(),
                        s.unit.describe(spec.name()),
                        note.replace('\t', ' '));
            }
            s.lastNote = note;
            String desired = map.owner(s.unit, sight, holder, target(note));
            s.desired = desired;
            act(s, desired);
        }
    }

    private void act(Slot s, String desired) {
        String key = s.unit.leaseKey();
        boolean mine = me.equals(desired);
        if (mine && !s.wanted && !s.releasing) {
            s.wanted = true;
            keeper.want(key, s);
        } else if (!mine && s.wanted && !s.releasing) {
            long epoch = keeper.validEpoch(key);
            if (epoch >= 0) {
                s.releasing = true;
                String to = desired == null ? "nobody" : desired;
                record(
                        s.unit,
                        "RELEASE",
                        me
                                + " hands "
                                + s.unit.describe(spec.name())
                                + " over to "
                                + to
                                + " (epoch "
                                + epoch
                                + ")");
                guarded.release(
                        key,
                        epoch,
                        "moves to " + to,
                        () -> {
                            keeper.giveUp(key);
                            s.wanted = false;
                            s.releasing = false;
                        });
            } else {
                keeper.giveUp(key);
                s.wanted = false;
            }
        }
    }

    /**
     * The holder and epoch of each unit as the arbiter shows them, with when this member saw it.
     */
    private void track(Slot s, LeaseRecord r) {
        String holder = r == null ? null : r.holder().host();
        long epoch = r == null ? -1 : r.epoch();
        if (epoch != s.seenEpoch || !java.util.Objects.equals(holder, s.seenHolder)) {
            s.seenHolder = holder;
            s.seenEpoch = epoch;
            s.seenSince = Instant.now();
        }
    }

    private void noteLivenessChanges(ProcessingMap.Sight sight) {
        for (Map.Entry<String, Liveness> e : sight.liveness().entrySet()) {
            Liveness before = lastLiveness.put(e.getKey(), e.getValue());
            if (before != null && before != e.getValue()) {
                LOG.info("Group {}: member {} is {}", spec.name(), e.getKey(), e.getValue());
            }
        }
    }

    private void record(Unit unit, String state, String detail) {
        LOG.info("Group {}: {}", spec.name(), detail);
        event("group", unit, state, detail);
    }

    /** An activity log entry about a unit: host and config of its member, or group and master. */
    private void event(String event, Unit unit, String state, String detail) {
        activity.record(
                event,
                unit.isMaster() ? spec.name() : unit.member(),
                unit.isMaster() ? Unit.MASTER : config,
                state,
                detail);
    }

    // ---- operator -------------------------------------------------------------------------------

    /** A move refused because of the group's state, not the request. */
    public static final class Refused extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /**
     * Moves a unit to {@code to}: member X's work ({@code work} = X) or, with {@code work} null,
     * the master role. Moving a member's work back to the member clears the move. Recorded in the
     * activity log with {@code who}.
     *
     * @return what was done, one line
     * @throws IllegalArgumentException for an unknown unit or member
     * @throws Refused when the target is not alive, or the group does not move work
     */
    public String move(String work, String to, String who) {
        Slot s = slots.get(work == null ? Unit.MASTER : "work/" + work);
        if (s == null) {
            throw new IllegalArgumentException(
                    work == null
                            ? "group " + spec.name() + " has no master role (" + modeName() + ")"
                            : "'"
                                    + work
                                    + "' has no work in group "
                                    + spec.name()
                                    + ": members with work are "
                                    + slots.values().stream()
                                            .filter(x -> !x.unit.isMaster())
                                            .map(x -> x.unit.member())
                                            .toList());
        }
        if (to == null || !spec.isMember(to)) {
            throw new IllegalArgumentException(
                    "'" + to + "' is not a member of group " + spec.name() + ": " + spec.hosts());
        }
        if (spec.mode() == GroupMode.STANDALONE) {
            throw new Refused(
                    "group " + spec.name() + " is standalone: a member's work never moves");
        }
        Liveness l = liveness(to);
        if (l != Liveness.ALIVE) {
            throw new Refused(
                    to
                            + " is not alive here ("
                            + (l == Liveness.DOWN ? "DEAD or CLOSE" : "not heard from yet")
                            + "): a move needs a live target");
        }
        String name = noteName(spec.name(), s.unit);
        boolean back = to.equals(s.unit.member());
        String value = back ? null : to + "\t" + who + "\t" + Instant.now();
        try {
            keeper.note(name, value).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the arbiter did not answer within 5 s: nothing moved");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(
                    "the arbiter refused the move: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: nothing moved");
        }
        String what =
                s.unit.describe(spec.name())
                        + (back ? " moved back to " + to : " moved to " + to)
                        + ", requested by "
                        + who;
        LOG.info("Group {}: {}", spec.name(), what);
        event("group-move", s.unit, to, what);
        kick();
        return what;
    }

    private String modeName() {
        return spec.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    // ---- views ----------------------------------------------------------------------------------

    /** One member in the group view. */
    public record MemberView(
            String host,
            String address,
            Liveness liveness,
            String state,
            boolean master,
            List<String> runs) {}

    /** One unit in the processing map. */
    public record UnitView(
            String id,
            String member,
            List<String> routes,
            String runsOn,
            long epoch,
            String since,
            String desired,
            String movedTo) {}

    /** The group as this member sees it. */
    public record View(
            String name,
            String mode,
            String me,
            String master,
            List<MemberView> members,
            List<UnitView> map) {}

    public View view() {
        // read only: the decision's state (how long each member has been alive) is the tick's
        Map<String, LeaseRecord> table = holders();
        Map<String, String> notes = keeper.notes();
        List<UnitView> units = new ArrayList<>();
        Map<String, List<String>> runs = new HashMap<>();
        String master = null;
        for (Slot s : slots.values()) {
            String holder = holderOf(s, table);
            LeaseRecord r = table.get(s.unit.leaseKey());
            long epoch =
                    me.equals(holder)
                            ? keeper.validEpoch(s.unit.leaseKey())
                            : r == null ? -1 : r.epoch();
            if (holder != null) {
                runs.computeIfAbsent(holder, x -> new ArrayList<>()).add(s.unit.id());
            }
            if (s.unit.isMaster()) {
                master = holder;
            }
            units.add(
                    new UnitView(
                            s.unit.id(),
                            s.unit.member(),
                            s.unit.routes(),
                            holder,
                            holder == null ? -1 : epoch,
                            holder == null || s.seenSince == null ? null : s.seenSince.toString(),
                            s.desired,
                            target(notes.get(noteName(spec.name(), s.unit)))));
        }
        List<MemberView> members = new ArrayList<>();
        for (Member m : spec.members()) {
            MonitorState st =
                    m.host().equals(me) ? MonitorState.LIVE : monitors.stateOf(m.host(), config);
            members.add(
                    new MemberView(
                            m.host(),
                            m.address().toString(),
                            liveness(m.host()),
                            st == null ? MonitorState.WAITING.name() : st.name(),
                            m.host().equals(master),
                            runs.getOrDefault(m.host(), List.of())));
        }
        return new View(spec.name(), modeName(), me, master, members, units);
    }

    // ---- lifecycle ------------------------------------------------------------------------------

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
            LOG.error("Group {}: {}", spec.name(), e.toString(), e);
        }
    }

    /** Starts deciding; called once every route exists and the others have started. */
    public void begin() {
        keeper.watchNotes("group/" + spec.name() + "/");
        ticker = Executors.newSingleThreadScheduledExecutor(Threads.daemon("hotbackup-group"));
        ticker.scheduleWithFixedDelay(this::tickSafely, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info(
                "Group {} ({}): {} is a member of {}; units {}",
                spec.name(),
                modeName(),
                me,
                spec.hosts(),
                slots.keySet());
    }

    @Override
    protected void doStart() {
        // begins once Camel has fully started (begin())
    }

    @Override
    protected void doStop() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }
}
