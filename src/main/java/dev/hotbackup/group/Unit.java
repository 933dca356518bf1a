package dev.hotbackup.group;

import java.util.List;

/**
 * One piece of a group's work that runs on exactly one member at a time, under its own lease: a
 * member's own work, or the master role.
 *
 * @param id {@code work/<member>} or {@code master}, as the processing map names it
 * @param member whose work it is; {@code null} for the master role
 * @param leaseKey the lease it runs under: {@code <member>/<config>}, or {@code
 *     group:<name>/master}
 * @param routes the route ids it starts and stops
 */
public record Unit(String id, String member, String leaseKey, List<String> routes) {

    public static final String MASTER = "master";

    public Unit {
        routes = List.copyOf(routes);
    }

    public boolean isMaster() {
        return member == null;
    }

    /** The units of {@code spec}: each member's work that has routes, then the master role. */
    public static List<Unit> of(GroupSpec spec, String config) {
        List<Unit> out = new java.util.ArrayList<>();
        if (spec.mode() != GroupMode.ACTIVE_STANDBY) {
            for (String m : spec.hosts()) {
                if (!spec.workOf(m).isEmpty()) {
                    out.add(new Unit("work/" + m, m, m + "/" + config, spec.workOf(m)));
                }
            }
        }
        if (spec.hasMaster()) {
            out.add(
                    new Unit(
                            MASTER,
                            null,
                            "group:" + spec.name() + "/" + MASTER,
                            spec.masterRoutes()));
        }
        return out;
    }

    /** "hostB's work" or "the master role of hub", for logs. */
    public String describe(String group) {
        return member == null ? "the master role of " + group : member + "'s work";
    }
}
