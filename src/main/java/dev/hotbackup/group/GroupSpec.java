package dev.hotbackup.group;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One group as configured ({@code hotbackup.group.<name>.*}): the same on every member.
 *
 * @param name the group's name, carried by its signals ({@code group='hub'})
 * @param mode how the members share the work
 * @param members 2 to 5, in the order they are listed
 * @param preference the order in which survivors are preferred (every member once)
 * @param work each member's own routes (active-active and standalone), by member host
 * @param masterRoutes routes only the master runs
 * @param manual {@code takeover=manual}: a dead member's work waits for an operator
 * @param preempt the master role goes back to the most preferred live member
 */
public record GroupSpec(
        String name,
        GroupMode mode,
        List<Member> members,
        List<String> preference,
        Map<String, List<String>> work,
        List<String> masterRoutes,
        boolean manual,
        boolean preempt) {

    /** Most members a group may have (BOX's module groups). */
    public static final int MAX_MEMBERS = 5;

    public GroupSpec {
        members = List.copyOf(members);
        preference = List.copyOf(preference);
        work = Map.copyOf(work);
        masterRoutes = List.copyOf(masterRoutes);
    }

    /** The member running as {@code host}, or {@code null}. */
    public Member member(String host) {
        return members.stream().filter(m -> m.host().equals(host)).findFirst().orElse(null);
    }

    public boolean isMember(String host) {
        return member(host) != null;
    }

    /** Member host names in the order listed. */
    public List<String> hosts() {
        return members.stream().map(Member::host).toList();
    }

    /** Whether the group has a master role. */
    public boolean hasMaster() {
        return mode != GroupMode.STANDALONE
                && (mode == GroupMode.ACTIVE_STANDBY || !masterRoutes.isEmpty());
    }

    /** Whether a dead member's work moves to a survivor. */
    public boolean takesOver() {
        return mode == GroupMode.ACTIVE_ACTIVE;
    }

    /** The routes of {@code member}'s own work (empty when it has none). */
    public List<String> workOf(String member) {
        return work.getOrDefault(member, List.of());
    }

    /** Every route the group may start or stop on any member. */
    public Set<String> allRoutes() {
        Set<String> all = new LinkedHashSet<>(masterRoutes);
        for (String m : hosts()) {
            all.addAll(workOf(m));
        }
        return all;
    }

    /** The other members, in the order listed. */
    public List<Member> others(String host) {
        List<Member> out = new ArrayList<>(members);
        out.removeIf(m -> m.host().equals(host));
        return out;
    }
}
