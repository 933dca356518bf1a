package dev.hotbackup.config;

import dev.hotbackup.config.Keys.TakeoverMode;
import dev.hotbackup.group.GroupMode;
import dev.hotbackup.group.GroupSpec;
import dev.hotbackup.group.Member;
import dev.hotbackup.link.Names;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the groups ({@code hotbackup.group.<group>.*}) and checks them as a whole: 2 to 5 members,
 * no member in two groups, no route in two members' work, keys that fit the mode. Every member
 * reads the same keys; the group of {@code hotbackup.host} is the one this instance runs.
 */
final class GroupKeys {

    private static final String PREFIX = "hotbackup.group.";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Function<String, String> raw;
    private final BiConsumer<String, String> problem;

    private GroupKeys(Function<String, String> raw, BiConsumer<String, String> problem) {
        this.raw = raw;
        this.problem = problem;
    }

    /**
     * The group {@code host} is a member of; {@code null} when no group is configured.
     *
     * @param names every key that is set
     * @param raw a key's value, or {@code null} when not set
     * @param problem collects one problem per key
     */
    static GroupSpec read(
            String host,
            Collection<String> names,
            Function<String, String> raw,
            BiConsumer<String, String> problem) {
        return new GroupKeys(raw, problem).read(host, names);
    }

    private GroupSpec read(String host, Collection<String> names) {
        Set<String> groups = new TreeSet<>();
        for (String n : names) {
            if (n.startsWith(PREFIX) && raw.apply(n) != null) {
                int dot = n.indexOf('.', PREFIX.length());
                if (dot > PREFIX.length()) {
                    groups.add(n.substring(PREFIX.length(), dot));
                }
            }
        }
        if (groups.isEmpty()) {
            return null;
        }
        Map<String, String> memberOf = new LinkedHashMap<>();
        GroupSpec mine = null;
        List<String> described = new ArrayList<>();
        for (String g : groups) {
            GroupSpec spec = group(g, names, memberOf);
            if (spec == null) {
                continue;
            }
            described.add(g + ": " + String.join(", ", spec.hosts()));
            if (spec.isMember(host)) {
                mine = spec;
            }
        }
        if (mine == null && described.size() == groups.size()) {
            problem.accept(
                    "hotbackup.host",
                    "'"
                            + host
                            + "' is not a member of any group ("
                            + String.join("; ", described)
                            + "): set hotbackup.host to this instance's member name");
        }
        return mine;
    }

    private GroupSpec group(String g, Collection<String> names, Map<String, String> memberOf) {
        String base = PREFIX + g + ".";
        int before = count;
        if (!NAME.matcher(g).matches()) {
            problem(base + "members", "'" + g + "' is not a group name (letters, digits, - and _)");
        }
        String membersKey = base + "members";
        if (raw.apply(membersKey) == null) {
            problem(
                    membersKey,
                    "is required: the group's 2 to 5 members (host@address:port, comma separated)");
            // the other keys' values are still checked, so every mistake shows at once
            get(Keys.GROUP_MODE, base + "mode");
            get(Keys.GROUP_TAKEOVER, base + "takeover");
            get(Keys.GROUP_PREEMPT, base + "preempt");
            return null;
        }
        List<Member> members = get(Keys.GROUP_MEMBERS, membersKey);
        if (members == null) {
            return null;
        }
        if (members.size() < 2 || members.size() > GroupSpec.MAX_MEMBERS) {
            problem(
                    membersKey,
                    "lists "
                            + members.size()
                            + " member"
                            + (members.size() == 1 ? "" : "s")
                            + "; a group has 2 to "
                            + GroupSpec.MAX_MEMBERS
                            + (members.size() > GroupSpec.MAX_MEMBERS
                                    ? ": split it into two groups"
                                    : ": a member alone has no one to take over"));
        }
        Set<String> hosts = new LinkedHashSet<>();
        Set<String> addresses = new LinkedHashSet<>();
        for (Member m : members) {
            String p = Names.problem(m.host());
            if (p != null) {
                problem(membersKey, "member '" + m.host() + "': " + p);
            }
            if (!hosts.add(m.host())) {
                problem(membersKey, "lists " + m.host() + " twice");
            }
            if (!addresses.add(m.address().toString())) {
                problem(membersKey, "gives two members the same listener address " + m.address());
            }
            String other = memberOf.putIfAbsent(m.host(), g);
            if (other != null && !other.equals(g)) {
                problem(
                        membersKey,
                        m.host()
                                + " is also a member of group "
                                + other
                                + " ("
                                + PREFIX
                                + other
                                + ".members): a member belongs to one group");
            }
        }
        GroupMode mode = orDefault(get(Keys.GROUP_MODE, base + "mode"), GroupMode.ACTIVE_ACTIVE);
        TakeoverMode takeover =
                orDefault(get(Keys.GROUP_TAKEOVER, base + "takeover"), TakeoverMode.AUTO);
        boolean preempt = orDefault(get(Keys.GROUP_PREEMPT, base + "preempt"), false);
        List<String> master =
                orDefault(get(Keys.GROUP_MASTER_ROUTES, base + "master-routes"), List.of());

        // each member's work, and no route twice
        Map<String, List<String>> work = new LinkedHashMap<>();
        Map<String, String> routeOwner = new LinkedHashMap<>();
        for (String r : master) {
            routeOwner.put(r, base + "master-routes");
        }
        String routesPrefix = base + "routes.";
        for (String n : new TreeSet<>(names)) {
            if (!n.startsWith(routesPrefix) || raw.apply(n) == null) {
                continue;
            }
            String member = n.substring(routesPrefix.length());
            if (!hosts.contains(member)) {
                problem(
                        n,
                        "'"
                                + member
                                + "' is not a member of group "
                                + g
                                + " ("
                                + String.join(", ", hosts)
                                + ")"
                                + closest(member, hosts));
                continue;
            }
            List<String> routes = get(Keys.GROUP_ROUTES, n);
            if (routes == null) {
                continue;
            }
            for (String r : routes) {
                String owner = routeOwner.putIfAbsent(r, n);
                if (owner != null) {
                    problem(
                            n,
                            "route "
                                    + r
                                    + " is already in "
                                    + owner
                                    + ": a route belongs to one member's work (or to the"
                                    + " master's), or two members would run it at once");
                }
            }
            work.put(member, routes);
        }
        switch (mode) {
            case ACTIVE_STANDBY -> {
                if (!work.isEmpty()) {
                    problem(
                            routesPrefix + work.keySet().iterator().next(),
                            "a member's own work is for active-active or standalone groups; in"
                                    + " active-standby the master runs "
                                    + base
                                    + "master-routes");
                }
                if (master.isEmpty()) {
                    problem(
                            base + "master-routes",
                            "is required in an active-standby group: the routes the master"
                                    + " runs");
                }
            }
            case ACTIVE_ACTIVE -> {
                if (work.isEmpty() && master.isEmpty()) {
                    problem(
                            routesPrefix + "<member>",
                            "no member of group "
                                    + g
                                    + " has work and there are no master-routes: the group"
                                    + " would run nothing; list each member's route ids");
                }
            }
            case STANDALONE -> {
                if (!master.isEmpty()) {
                    problem(
                            base + "master-routes",
                            "a standalone group has no master: use active-active or"
                                    + " active-standby");
                }
                if (work.isEmpty()) {
                    problem(
                            routesPrefix + "<member>",
                            "no member of the standalone group " + g + " has work");
                }
            }
        }
        List<String> preference = new ArrayList<>();
        List<String> asked = get(Keys.GROUP_PREFERENCE, base + "preference");
        for (String p : asked == null ? List.<String>of() : asked) {
            if (!hosts.contains(p)) {
                problem(
                        base + "preference",
                        "'" + p + "' is not a member of group " + g + closest(p, hosts));
            } else if (preference.contains(p)) {
                problem(base + "preference", "lists " + p + " twice");
            } else {
                preference.add(p);
            }
        }
        for (String h : hosts) {
            if (!preference.contains(h)) {
                preference.add(h);
            }
        }
        if (count != before) {
            return null;
        }
        return new GroupSpec(
                g,
                mode,
                members,
                preference,
                work,
                master,
                takeover == TakeoverMode.MANUAL,
                preempt);
    }

    private int count;

    private void problem(String key, String what) {
        count++;
        problem.accept(key, what);
    }

    /** The value of one key of a family; {@code null} when not set or refused. */
    private <T> T get(Key<T> family, String name) {
        String v = raw.apply(name);
        if (v == null) {
            return null;
        }
        try {
            return family.parse(v);
        } catch (IllegalArgumentException e) {
            problem(name, e.getMessage());
            return null;
        }
    }

    private static <T> T orDefault(T value, T otherwise) {
        return value == null ? otherwise : value;
    }

    private static String closest(String name, Collection<String> hosts) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String h : hosts) {
            int d = UnknownKeyCheck.distance(name.toLowerCase(), h.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = h;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 4)
                ? "; did you mean " + best + "?"
                : "";
    }
}
