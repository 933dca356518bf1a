package dev.hotbackup;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.config.HotBackupSettings;
import dev.hotbackup.config.InvalidConfigurationException;
import dev.hotbackup.group.GroupMember;
import dev.hotbackup.group.GroupSpec;
import dev.hotbackup.support.Startup;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * This instance as a member of its group: the member that decides who runs which unit, on top of
 * the listener (who is alive) and the arbitration (leases and the processing map's notes).
 */
final class GroupWiring {

    private GroupWiring() {}

    /** The member, or {@code null} when this instance is in no group. */
    static GroupMember wire(
            CamelContext camelContext,
            HotBackupSettings s,
            ActivityLog activity,
            ListenerWiring.Listener listener,
            ArbiterWiring.Arbitration arbitration)
            throws Exception {
        if (s.group == null) {
            return null;
        }
        // the settings refuse a group without an arbiter, and a member always listens
        GroupMember member =
                new GroupMember(
                        s.group,
                        s.host,
                        s.config,
                        s.failbackDelay.toNanos(),
                        arbitration.keeper(),
                        arbitration.guarded(),
                        listener.monitors(),
                        activity,
                        System::nanoTime);
        listener.plan().groupMembers(s.group.name(), new LinkedHashSet<>(s.group.hosts()));
        camelContext.addService(member);
        camelContext.getRegistry().bind("hotbackupGroup", member);
        Startup.whenFullyStarted(camelContext, member::begin);
        return member;
    }

    /** Every route id of the group's keys exists, and none is one of the pack's. */
    static void checkRoutes(CamelContext context, GroupSpec g) {
        List<String> problems = new ArrayList<>();
        String base = "hotbackup.group." + g.name() + ".";
        check(context, base + "master-routes", g.masterRoutes(), problems);
        for (Map.Entry<String, List<String>> w : g.work().entrySet()) {
            check(context, base + "routes." + w.getKey(), w.getValue(), problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    private static void check(
            CamelContext context, String key, List<String> routes, List<String> problems) {
        try {
            PackRoutes.checkRoutes(context, key, "in a group's work", new LinkedHashSet<>(routes));
        } catch (InvalidConfigurationException e) {
            problems.addAll(e.problems());
        }
    }
}
