package dev.hotbackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.group.GroupMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A group's keys: what a member derives from them, and every mistake refused naming its key. */
class GroupSettingsTest {

    /** hostB of a valid active-active group of three on loopback with a jdbc arbiter. */
    static Map<String, String> member(String host, String... keyValues) {
        Map<String, String> m = new HashMap<>();
        m.put("hotbackup.host", host);
        m.put("hotbackup.arbiter", "jdbc");
        m.put("hotbackup.secret", "0123456789abcdef");
        m.put("hotbackup.arbiter.jdbc.url", "jdbc:h2:tcp://localhost/ha");
        m.put(
                "hotbackup.group.hub.members",
                "hostA@127.0.0.1:7101,hostB@127.0.0.1:7102,hostC@127.0.0.1:7103");
        m.put("hotbackup.group.hub.routes.hostA", "orders-a");
        m.put("hotbackup.group.hub.routes.hostB", "orders-b");
        m.put("hotbackup.group.hub.master-routes", "importer");
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                m.remove(keyValues[i]);
            } else {
                m.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return m;
    }

    private static String only(List<String> problems) {
        assertEquals(1, problems.size(), "one problem expected: " + problems);
        return problems.get(0);
    }

    @Test
    void aMemberListensOnItsAddressAndHeartbeatsToTheOthers() {
        HotBackupSettings s = HotBackupSettingsTest.load(member("hostB"));
        assertEquals("hub", s.group.name());
        assertEquals(GroupMode.ACTIVE_ACTIVE, s.group.mode());
        assertEquals(7102, s.listenerPort);
        assertEquals("[127.0.0.1:7101, 127.0.0.1:7103]", s.backupLocation.toString());
        assertEquals(List.of("hostA/base", "hostC/base"), s.expect);
        assertEquals(List.of("hostA", "hostB", "hostC"), s.group.preference());
        assertEquals(List.of("orders-b"), s.group.workOf("hostB"));
        assertEquals(List.of(), s.group.workOf("hostC"));
        assertTrue(s.toString().contains("group=hub (active-active"), s.toString());
    }

    @Test
    void preferenceListsSomeMembersFirst() {
        HotBackupSettings s =
                HotBackupSettingsTest.load(
                        member("hostA", "hotbackup.group.hub.preference", "hostC"));
        assertEquals(List.of("hostC", "hostA", "hostB"), s.group.preference());
    }

    @Test
    void aSixthMemberIsRefused() {
        String p =
                only(
                        HotBackupSettingsTest.problems(
                                member(
                                        "hostA",
                                        "hotbackup.group.hub.members",
                                        "hostA@h:1,hostB@h:2,hostC@h:3,hostD@h:4,hostE@h:5,hostF@h:6")));
        assertEquals(
                "hotbackup.group.hub.members: lists 6 members; a group has 2 to 5: split it into"
                        + " two groups",
                p);
    }

    @Test
    void aMemberInTwoGroupsIsRefused() {
        String p =
                only(
                        HotBackupSettingsTest.problems(
                                member(
                                        "hostA",
                                        "hotbackup.group.edge.members",
                                        "hostB@127.0.0.1:7201,hostD@127.0.0.1:7202",
                                        "hotbackup.group.edge.master-routes",
                                        "edge-importer")));
        assertEquals(
                "hotbackup.group.hub.members: hostB is also a member of group edge"
                        + " (hotbackup.group.edge.members): a member belongs to one group",
                p);
    }

    @Test
    void aRouteInTwoMembersWorkIsRefused() {
        String p =
                only(
                        HotBackupSettingsTest.problems(
                                member("hostA", "hotbackup.group.hub.routes.hostC", "orders-a")));
        assertEquals(
                "hotbackup.group.hub.routes.hostC: route orders-a is already in"
                        + " hotbackup.group.hub.routes.hostA: a route belongs to one member's work"
                        + " (or to the master's), or two members would run it at once",
                p);
    }

    @Test
    void aTypoInAGroupKeyNamesTheKeyMeant() {
        String p =
                only(
                        HotBackupSettingsTest.problems(
                                member("hostA", "hotbackup.group.hub.master-route", "x")));
        assertTrue(
                p.startsWith(
                        "hotbackup.group.hub.master-route: no such key; did you mean"
                                + " hotbackup.group.hub.master-routes?"),
                p);
    }

    @Test
    void aWrongModeIsRefused() {
        String p =
                only(
                        HotBackupSettingsTest.problems(
                                member("hostA", "hotbackup.group.hub.mode", "active-passive")));
        assertEquals(
                "hotbackup.group.hub.mode: 'active-passive' is not one of active-standby,"
                        + " active-active, standalone",
                p);
    }

    @Test
    void workOfAMemberThatIsNotOneIsRefused() {
        String p =
                only(
                        HotBackupSettingsTest.problems(
                                member("hostA", "hotbackup.group.hub.routes.hostX", "orders-x")));
        assertTrue(
                p.startsWith(
                        "hotbackup.group.hub.routes.hostX: 'hostX' is not a member of group hub"),
                p);
    }

    @Test
    void anInstanceThatIsNoMemberIsRefused() {
        String p = only(HotBackupSettingsTest.problems(member("hostD")));
        assertEquals(
                "hotbackup.host: 'hostD' is not a member of any group (hub: hostA, hostB,"
                        + " hostC): set hotbackup.host to this instance's member name",
                p);
    }

    @Test
    void aGroupNeedsAnArbiter() {
        String p =
                only(
                        HotBackupSettingsTest.problems(
                                member(
                                        "hostA",
                                        "hotbackup.arbiter",
                                        null,
                                        "hotbackup.arbiter.jdbc.url",
                                        null)));
        assertTrue(p.startsWith("hotbackup.arbiter: is none, but group hub needs an arbiter"), p);
    }

    @Test
    void activeStandbyNeedsMasterRoutesAndNoMemberWork() {
        List<String> p =
                HotBackupSettingsTest.problems(
                        member(
                                "hostA",
                                "hotbackup.group.hub.mode",
                                "active-standby",
                                "hotbackup.group.hub.master-routes",
                                null));
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("hotbackup.group.hub.routes.hostA: a member's own work"));
        assertTrue(p.get(1).startsWith("hotbackup.group.hub.master-routes: is required"));
    }

    @Test
    void theGroupSetsTheListenerPortAndBackupLocation() {
        List<String> p =
                HotBackupSettingsTest.problems(
                        member(
                                "hostA",
                                "hotbackup.listener.port",
                                "7999",
                                "hotbackup.backup-location",
                                "127.0.0.1:7102"));
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("hotbackup.backup-location: is set by group hub"), p.get(0));
        assertTrue(p.get(1).startsWith("hotbackup.listener.port: differs from hostA@"), p.get(1));
    }

    @Test
    void membersKeyIsRequiredForAGroup() {
        String p =
                only(
                        HotBackupSettingsTest.problems(
                                member("hostA", "hotbackup.group.edge.master-routes", "e")));
        assertTrue(p.startsWith("hotbackup.group.edge.members: is required"), p);
    }

    @Test
    void anEnvironmentVariableCannotNameAGroupKey() {
        String p =
                only(
                        HotBackupSettingsTest.problems(
                                member("hostA", "HOTBACKUP_GROUP_HUB_MEMBERS", "hostA@h:1")));
        assertTrue(
                p.startsWith(
                        "environment variable HOTBACKUP_GROUP_HUB_MEMBERS: group keys cannot be set"
                                + " by environment variables"),
                p);
    }

    @Test
    void noGroupNoGroupSettings() {
        assertNull(HotBackupSettingsTest.load(Map.of()).group);
    }
}
