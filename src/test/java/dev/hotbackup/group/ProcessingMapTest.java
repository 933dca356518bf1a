package dev.hotbackup.group;

import static dev.hotbackup.group.Liveness.ALIVE;
import static dev.hotbackup.group.Liveness.DOWN;
import static dev.hotbackup.group.Liveness.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.hotbackup.config.HostPort;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who should run each unit, given what one member sees. */
class ProcessingMapTest {

    private static final long FAILBACK = 5_000_000_000L;

    private static GroupSpec spec(GroupMode mode, boolean manual, boolean preempt) {
        List<Member> members =
                List.of("A", "B", "C").stream()
                        .map(h -> new Member(h, new HostPort("127.0.0.1", 7000 + h.charAt(0))))
                        .toList();
        return new GroupSpec(
                "hub",
                mode,
                members,
                List.of("A", "B", "C"),
                mode == GroupMode.ACTIVE_STANDBY
                        ? Map.of()
                        : Map.of("A", List.of("ra"), "B", List.of("rb"), "C", List.of("rc")),
                mode == GroupMode.STANDALONE ? List.of() : List.of("importer"),
                manual,
                preempt);
    }

    private static Unit unit(GroupSpec spec, String id) {
        return Unit.of(spec, "base").stream()
                .filter(u -> u.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    /** A, B and C with these livenesses, each alive for {@code aliveFor} ns. */
    private static ProcessingMap.Sight sight(Liveness a, Liveness b, Liveness c, long aliveFor) {
        Map<String, Liveness> l = Map.of("A", a, "B", b, "C", c);
        Map<String, Long> f = new HashMap<>();
        l.forEach((m, v) -> f.put(m, v == ALIVE ? aliveFor : 0L));
        return new ProcessingMap.Sight(l, f);
    }

    @Test
    void unitsAreEachMembersWorkThenTheMaster() {
        GroupSpec s = spec(GroupMode.ACTIVE_ACTIVE, false, false);
        assertEquals(
                List.of("work/A", "work/B", "work/C", "master"),
                Unit.of(s, "base").stream().map(Unit::id).toList());
        assertEquals("B/base", unit(s, "work/B").leaseKey());
        assertEquals("group:hub/master", unit(s, "master").leaseKey());
        assertEquals(
                List.of("master"),
                Unit.of(spec(GroupMode.ACTIVE_STANDBY, false, false), "base").stream()
                        .map(Unit::id)
                        .toList());
        assertEquals(
                List.of("work/A", "work/B", "work/C"),
                Unit.of(spec(GroupMode.STANDALONE, false, false), "base").stream()
                        .map(Unit::id)
                        .toList());
    }

    @Test
    void aLiveMemberRunsItsOwnWork() {
        GroupSpec s = spec(GroupMode.ACTIVE_ACTIVE, false, false);
        ProcessingMap map = new ProcessingMap(s, FAILBACK);
        assertEquals("B", map.owner(unit(s, "work/B"), sight(ALIVE, ALIVE, ALIVE, 0), "B", null));
        assertEquals("B", map.owner(unit(s, "work/B"), sight(ALIVE, ALIVE, ALIVE, 0), null, null));
    }

    @Test
    void aDeadMembersWorkGoesToTheFirstSurvivorByPreference() {
        GroupSpec s = spec(GroupMode.ACTIVE_ACTIVE, false, false);
        ProcessingMap map = new ProcessingMap(s, FAILBACK);
        assertEquals("B", map.owner(unit(s, "work/A"), sight(DOWN, ALIVE, ALIVE, 0), "A", null));
        assertEquals("A", map.owner(unit(s, "work/B"), sight(ALIVE, DOWN, ALIVE, 0), null, null));
        // two dead at once: each gets the one survivor
        assertEquals("C", map.owner(unit(s, "work/A"), sight(DOWN, DOWN, ALIVE, 0), null, null));
        assertEquals("C", map.owner(unit(s, "work/B"), sight(DOWN, DOWN, ALIVE, 0), null, null));
        // a survivor that has it keeps it, even if a more preferred one is alive
        assertEquals("C", map.owner(unit(s, "work/A"), sight(DOWN, ALIVE, ALIVE, 0), "C", null));
    }

    @Test
    void aMemberNotHeardFromYetIsNotTakenOver() {
        GroupSpec s = spec(GroupMode.ACTIVE_ACTIVE, false, false);
        ProcessingMap map = new ProcessingMap(s, FAILBACK);
        assertNull(map.owner(unit(s, "work/A"), sight(UNKNOWN, ALIVE, ALIVE, 0), null, null));
    }

    @Test
    void aReturningMemberGetsItsWorkBackAfterTheFailbackDelay() {
        GroupSpec s = spec(GroupMode.ACTIVE_ACTIVE, false, false);
        ProcessingMap map = new ProcessingMap(s, FAILBACK);
        Unit a = unit(s, "work/A");
        assertEquals("B", map.owner(a, sight(ALIVE, ALIVE, ALIVE, FAILBACK - 1), "B", null));
        assertEquals("A", map.owner(a, sight(ALIVE, ALIVE, ALIVE, FAILBACK), "B", null));
    }

    @Test
    void manualTakeoverWaitsForTheOperator() {
        GroupSpec s = spec(GroupMode.ACTIVE_ACTIVE, true, false);
        ProcessingMap map = new ProcessingMap(s, FAILBACK);
        Unit a = unit(s, "work/A");
        assertNull(map.owner(a, sight(DOWN, ALIVE, ALIVE, 0), null, null));
        assertEquals("C", map.owner(a, sight(DOWN, ALIVE, ALIVE, 0), null, "C"));
    }

    @Test
    void anOperatorsMoveWinsWhileItsTargetLives() {
        GroupSpec s = spec(GroupMode.ACTIVE_ACTIVE, false, false);
        ProcessingMap map = new ProcessingMap(s, FAILBACK);
        Unit a = unit(s, "work/A");
        assertEquals("C", map.owner(a, sight(ALIVE, ALIVE, ALIVE, FAILBACK), "A", "C"));
        // the target died: back to the rules
        assertEquals("A", map.owner(a, sight(ALIVE, ALIVE, DOWN, FAILBACK), "C", "C"));
    }

    @Test
    void theMasterStaysWithALiveHolderUnlessPreempting() {
        GroupSpec s = spec(GroupMode.ACTIVE_STANDBY, false, false);
        ProcessingMap map = new ProcessingMap(s, FAILBACK);
        Unit m = unit(s, "master");
        assertEquals("C", map.owner(m, sight(ALIVE, ALIVE, ALIVE, FAILBACK), "C", null));
        assertEquals("A", map.owner(m, sight(ALIVE, ALIVE, DOWN, FAILBACK), "C", null));
        assertEquals("B", map.owner(m, sight(DOWN, ALIVE, DOWN, FAILBACK), null, null));

        GroupSpec p = spec(GroupMode.ACTIVE_STANDBY, false, true);
        ProcessingMap pre = new ProcessingMap(p, FAILBACK);
        Unit pm = unit(p, "master");
        assertEquals("C", pre.owner(pm, sight(ALIVE, ALIVE, ALIVE, FAILBACK - 1), "C", null));
        assertEquals("A", pre.owner(pm, sight(ALIVE, ALIVE, ALIVE, FAILBACK), "C", null));
    }

    @Test
    void noMasterWhileAMoreFavouredMemberIsUnknown() {
        GroupSpec s = spec(GroupMode.ACTIVE_STANDBY, false, false);
        ProcessingMap map = new ProcessingMap(s, FAILBACK);
        Unit m = unit(s, "master");
        assertNull(map.owner(m, sight(UNKNOWN, ALIVE, ALIVE, 0), null, null));
        assertEquals("A", map.owner(m, sight(ALIVE, UNKNOWN, UNKNOWN, 0), null, null));
    }

    @Test
    void standaloneWorkNeverMoves() {
        GroupSpec s = spec(GroupMode.STANDALONE, false, false);
        ProcessingMap map = new ProcessingMap(s, FAILBACK);
        Unit a = unit(s, "work/A");
        assertEquals("A", map.owner(a, sight(DOWN, ALIVE, ALIVE, 0), null, "B"));
    }
}
