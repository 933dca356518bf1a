package dev.hotbackup.group;

import java.util.Map;

/**
 * Decides who should run a unit of a group's work, from what this member sees: which members are
 * alive, who holds the unit's lease now, and an operator's move. Every member decides for itself;
 * the lease makes sure that, whatever two members conclude, only one runs it. Pure: no clock, no
 * I/O.
 *
 * <ul>
 *   <li>An operator's move wins while its target is alive.
 *   <li>A member's own work runs on the member while it is alive; a survivor that ran it keeps it
 *       until the member has been alive for the failback delay. A dead member's work stays with the
 *       survivor that has it, else goes to the first live member by preference (takeover {@code
 *       auto}), or waits for an operator ({@code manual}). A member not heard from yet is not dead:
 *       its work is not taken.
 *   <li>The master role stays with a live holder (no preemption unless {@code preempt}); without
 *       one it goes to the first live member by preference, and waits while a member ahead of that
 *       one is not known yet.
 *   <li>Standalone: only the member itself ever runs its work.
 * </ul>
 */
public final class ProcessingMap {

    /**
     * What one member sees of the others.
     *
     * @param liveness every member's liveness (this member itself is {@link Liveness#ALIVE})
     * @param aliveForNanos how long each live member has been alive
     */
    public record Sight(Map<String, Liveness> liveness, Map<String, Long> aliveForNanos) {

        boolean alive(String member) {
            return member != null && liveness.get(member) == Liveness.ALIVE;
        }

        long aliveFor(String member) {
            return aliveForNanos.getOrDefault(member, 0L);
        }
    }

    private final GroupSpec spec;
    private final long failbackNanos;

    public ProcessingMap(GroupSpec spec, long failbackNanos) {
        this.spec = spec;
        this.failbackNanos = failbackNanos;
    }

    /**
     * The member that should run {@code unit} now, or {@code null} for nobody.
     *
     * @param holder the member holding the unit's lease now, or {@code null}
     * @param moved where an operator moved it, or {@code null}
     */
    public String owner(Unit unit, Sight sight, String holder, String moved) {
        if (moved != null && sight.alive(moved) && spec.mode() != GroupMode.STANDALONE) {
            return moved;
        }
        boolean holderAlive = sight.alive(holder);
        if (unit.isMaster()) {
            if (holderAlive) {
                if (spec.preempt()) {
                    String best = firstAlive(sight, null);
                    if (best != null
                            && !best.equals(holder)
                            && sight.aliveFor(best) >= failbackNanos) {
                        return best;
                    }
                }
                return holder;
            }
            return firstAlive(sight, null);
        }
        String x = unit.member();
        if (spec.mode() == GroupMode.STANDALONE) {
            return x;
        }
        Liveness lx = sight.liveness().getOrDefault(x, Liveness.UNKNOWN);
        boolean survivorHas = holderAlive && !holder.equals(x);
        if (lx == Liveness.ALIVE) {
            return survivorHas && sight.aliveFor(x) < failbackNanos ? holder : x;
        }
        if (survivorHas) {
            return holder;
        }
        if (lx == Liveness.UNKNOWN || spec.manual()) {
            return null;
        }
        return firstAliveOther(sight, x);
    }

    /** The first live member by preference; {@code null} while one ahead of it is not known yet. */
    private String firstAlive(Sight sight, String except) {
        for (String m : spec.preference()) {
            if (m.equals(except)) {
                continue;
            }
            Liveness l = sight.liveness().getOrDefault(m, Liveness.UNKNOWN);
            if (l == Liveness.ALIVE) {
                return m;
            }
            if (l == Liveness.UNKNOWN) {
                return null;
            }
        }
        return null;
    }

    /** The first live member by preference other than {@code except}, skipping unknown ones. */
    private String firstAliveOther(Sight sight, String except) {
        for (String m : spec.preference()) {
            if (!m.equals(except) && sight.alive(m)) {
                return m;
            }
        }
        return null;
    }
}
