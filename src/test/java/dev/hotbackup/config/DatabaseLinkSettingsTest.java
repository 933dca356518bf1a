package dev.hotbackup.config;

import static dev.hotbackup.config.HotBackupSettingsTest.load;
import static dev.hotbackup.config.HotBackupSettingsTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The keys of the database link (hotbackup.link=jdbc): what they need, replace and refuse. */
class DatabaseLinkSettingsTest {

    /** A live host over the database link: valid unless a test breaks it. */
    static Map<String, String> live(String... keyValues) {
        return with(
                Map.of(
                        "hotbackup.host", "hostA",
                        "hotbackup.link", "jdbc",
                        "hotbackup.arbiter", "jdbc",
                        "hotbackup.arbiter.jdbc.url", "jdbc:postgresql://db:5432/hotbackup",
                        "hotbackup.arbiter.routes", "orders"),
                keyValues);
    }

    /** Its backup. */
    static Map<String, String> backup(String... keyValues) {
        return with(
                Map.of(
                        "hotbackup.host", "hostB",
                        "hotbackup.link", "jdbc",
                        "hotbackup.arbiter", "jdbc",
                        "hotbackup.arbiter.jdbc.url", "jdbc:postgresql://db:5432/hotbackup",
                        "hotbackup.takeover.routes", "orders"),
                keyValues);
    }

    private static Map<String, String> with(Map<String, String> base, String... keyValues) {
        Map<String, String> m = new HashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void theLiveHostWritesItsRowAndTheBackupReadsTheTableWithoutPortsOrSecret() {
        HotBackupSettings l = load(live());
        assertTrue(l.emitterEnabled());
        assertFalse(l.listenerEnabled());
        assertEquals(Duration.ofSeconds(1), l.effectiveHeartbeatInterval());
        assertTrue(l.toString().contains("heartbeat to table hotbackup_heartbeat every 1s"));

        HotBackupSettings b = load(backup());
        assertTrue(b.listenerEnabled());
        assertFalse(b.emitterEnabled(), "a backup in distributed mode has no row of its own");
        assertEquals(Duration.ofSeconds(6), b.threshold, "check-interval 2s x retry-count 3");
        assertTrue(b.toString().contains("listener=table hotbackup_heartbeat read every 2s"));
        assertTrue(b.httpEnabled, "a backup has its status page, as on TCP");

        HotBackupSettings full = load(backup("hotbackup.backup", "true"));
        assertTrue(full.emitterEnabled(), "a full backup heartbeats once it has taken over");
        assertTrue(b.warnings.isEmpty(), b.warnings.toString());
    }

    @Test
    void theReferencesTimingKeysSetTheThreshold() {
        HotBackupSettings b =
                load(
                        backup(
                                "hotbackup.link.jdbc.heartbeat-interval", "10s",
                                "hotbackup.link.jdbc.check-interval", "30s",
                                "hotbackup.link.jdbc.retry-count", "4"));
        assertEquals(Duration.ofMinutes(2), b.threshold);
        assertEquals(Duration.ofSeconds(10), b.effectiveHeartbeatInterval());
    }

    @Test
    void aCheckIntervalNotLongerThanTheHeartbeatIsWarnedAbout() {
        HotBackupSettings b =
                load(
                        backup(
                                "hotbackup.link.jdbc.heartbeat-interval", "2s",
                                "hotbackup.link.jdbc.check-interval", "2s"));
        assertEquals(1, b.warnings.size(), b.warnings.toString());
        assertTrue(
                b.warnings
                        .get(0)
                        .startsWith(
                                "hotbackup.link.jdbc.check-interval (2s) is not longer than"
                                        + " hotbackup.link.jdbc.heartbeat-interval (2s)"),
                b.warnings.get(0));
    }

    @Test
    void theTcpThresholdIsWarnedAboutAsUnused() {
        HotBackupSettings b = load(backup("hotbackup.listener.threshold", "60s"));
        assertEquals(Duration.ofSeconds(6), b.threshold);
        assertTrue(
                b.warnings.stream()
                        .anyMatch(
                                w ->
                                        w.startsWith(
                                                        "hotbackup.listener.threshold is not used"
                                                                + " with hotbackup.link=jdbc")
                                                && w.contains("(6s here)")),
                b.warnings.toString());
    }

    @Test
    void withoutTheDatabasesLeasesTheLinkIsRefused() {
        List<String> p =
                problems(backup("hotbackup.arbiter", "file", "hotbackup.arbiter.file.path", "/x"));
        assertEquals(1, p.size(), p.toString());
        assertTrue(
                p.get(0).startsWith("hotbackup.link: jdbc needs hotbackup.arbiter=jdbc"), p.get(0));
        assertTrue(
                problems(with(backup(), "hotbackup.arbiter", "none"))
                        .get(0)
                        .startsWith("hotbackup.link: jdbc needs hotbackup.arbiter=jdbc"));
    }

    @Test
    void theTcpLinksKeysAreRefusedWithIt() {
        List<String> p =
                problems(
                        backup(
                                "hotbackup.listener.port", "7800",
                                "hotbackup.backup-location", "hostA:7800"));
        assertEquals(2, p.size(), p.toString());
        assertTrue(
                p.stream()
                        .anyMatch(
                                l ->
                                        l.startsWith(
                                                "hotbackup.listener.port: is not used with"
                                                        + " hotbackup.link=jdbc")),
                p.toString());
        assertTrue(
                p.stream()
                        .anyMatch(
                                l ->
                                        l.startsWith(
                                                "hotbackup.backup-location: is not used with"
                                                        + " hotbackup.link=jdbc")),
                p.toString());
    }

    @Test
    void theHeartbeatTableIsAPlainNameOtherThanTheLeaseTable() {
        assertTrue(
                problems(live("hotbackup.link.jdbc.table", "beats; DROP TABLE x"))
                        .get(0)
                        .startsWith(
                                "hotbackup.link.jdbc.table: 'beats; DROP TABLE x' is not a plain"));
        assertTrue(
                problems(live("hotbackup.link.jdbc.table", "hotbackup_lease"))
                        .get(0)
                        .startsWith(
                                "hotbackup.link.jdbc.table: 'hotbackup_lease' is the arbiter's own"
                                        + " table"));
    }

    @Test
    void aWrongValueOrATypoIsNamedWithWhatWasMeant() {
        List<String> p = problems(backup("hotbackup.link", "jdcb"));
        assertEquals(1, p.size(), "nothing that only follows from it: " + p);
        assertTrue(p.get(0).startsWith("hotbackup.link: 'jdcb'"), p.get(0));
        assertTrue(p.get(0).contains("tcp") && p.get(0).contains("jdbc"), p.get(0));
        assertTrue(
                problems(backup("hotbackup.link", "postgres")).get(0).contains("jdbc"),
                "a product name points to the kind");
        assertTrue(
                problems(backup("hotbackup.link.jdbc.retry-count", "0"))
                        .get(0)
                        .startsWith(
                                "hotbackup.link.jdbc.retry-count: '0' is not a whole number of 1"));
        assertTrue(
                problems(backup("hotbackup.link.jdbc.check-interval", "2S"))
                        .get(0)
                        .startsWith("hotbackup.link.jdbc.check-interval: '2S'"));
        List<String> typo = problems(backup("hotbackup.link.jdbc.retry-cont", "3"));
        assertTrue(
                typo.get(0)
                        .startsWith(
                                "hotbackup.link.jdbc.retry-cont: no such key; did you mean"
                                        + " hotbackup.link.jdbc.retry-count?"),
                typo.get(0));
    }

    @Test
    void aLiveHostWithNothingToGuardOrABackupThatWouldDoNothingIsRefused() {
        Map<String, String> nothing = live();
        nothing.remove("hotbackup.arbiter.routes");
        assertTrue(
                problems(nothing).get(0).startsWith("hotbackup.arbiter.routes: is empty"),
                problems(nothing).toString());
        Map<String, String> idle = backup();
        idle.remove("hotbackup.takeover.routes");
        idle.put("hotbackup.listener.expect", "hostA/base");
        assertTrue(
                problems(idle).get(0).startsWith("hotbackup.takeover.routes: is empty"),
                problems(idle).toString());
    }

    @Test
    void theLinkKeysDoNothingOverTcpAndSaySo() {
        HotBackupSettings s =
                load(HotBackupSettingsTest.backup("hotbackup.link.jdbc.check-interval", "5s"));
        assertTrue(
                s.warnings.stream()
                        .anyMatch(
                                w ->
                                        w.startsWith(
                                                        "hotbackup.link.jdbc.check-interval has no effect")
                                                && w.contains("hotbackup.link=tcp")),
                s.warnings.toString());
    }

    /** One of a pair whose roles come from the table: the same on both hosts. */
    static Map<String, String> pair(String... keyValues) {
        Map<String, String> m = backup(keyValues);
        m.putIfAbsent("hotbackup.role", "auto");
        return m;
    }

    @Test
    void rolesFromTheTableHeartbeatAndReadOnBothHostsAndCopyTheConfiguration() {
        HotBackupSettings s = load(pair());
        assertTrue(s.roleAuto());
        assertTrue(s.emitterEnabled(), "primary and standby both write their row");
        assertTrue(s.listenerEnabled(), "and both read the other's");
        assertFalse(s.fullBackup());
        assertTrue(s.toString().contains("mode=roles from the table"), s.toString());
        assertEquals(List.of("routes/", "application.properties"), s.configBackupInclude);
        assertEquals(Duration.ofSeconds(30), s.configBackupInterval);
        assertTrue(s.configBackupFolder.endsWith(java.nio.file.Path.of("data", "config-backup")));
        assertTrue(s.warnings.isEmpty(), s.warnings.toString());

        HotBackupSettings standby = load(pair("hotbackup.backup", "true"));
        assertTrue(standby.roleAuto());
        assertFalse(standby.fullBackup(), "-b only makes it the standby");
        assertTrue(standby.toString().contains("(standby by -b)"), standby.toString());
    }

    @Test
    void rolesNeedTheDatabaseLinkAndOneListOfRoutes() {
        Map<String, String> tcp = HotBackupSettingsTest.backup("hotbackup.role", "auto");
        assertTrue(
                problems(tcp)
                        .contains(
                                "hotbackup.role: auto needs hotbackup.link=jdbc: the primary and"
                                        + " the standby register in the heartbeat table"),
                problems(tcp).toString());
        Map<String, String> none = pair();
        none.remove("hotbackup.takeover.routes");
        assertTrue(
                problems(none)
                        .get(0)
                        .startsWith(
                                "hotbackup.takeover.routes: is empty: with hotbackup.role=auto"
                                        + " list the pair's routes here"),
                problems(none).toString());
        assertTrue(
                problems(pair("hotbackup.arbiter.routes", "orders"))
                        .get(0)
                        .startsWith(
                                "hotbackup.arbiter.routes: is not used with hotbackup.role=auto"),
                problems(pair("hotbackup.arbiter.routes", "orders")).toString());
        assertTrue(
                problems(pair("hotbackup.takeover.routes.hostA/base", "orders"))
                        .get(0)
                        .startsWith("hotbackup.takeover.routes.hostA/base: is not used"));
    }

    @Test
    void aWrongRoleOrCopyPathIsNamed() {
        List<String> p = problems(pair("hotbackup.role", "primary"));
        assertEquals(1, p.size(), p.toString());
        assertTrue(
                p.get(0)
                        .startsWith(
                                "hotbackup.role: 'primary' is not one of configured, auto;"
                                        + " did you mean auto?"),
                p.get(0));
        assertTrue(
                problems(pair("hotbackup.config-backup.include", "routes/,/etc/passwd"))
                        .get(0)
                        .startsWith(
                                "hotbackup.config-backup.include: '/etc/passwd' is not inside the"
                                        + " working directory"));
        assertTrue(
                problems(pair("hotbackup.config-backup.exclude", "../other"))
                        .get(0)
                        .startsWith("hotbackup.config-backup.exclude: '../other' is not inside"));
        assertTrue(
                problems(pair("hotbackup.config-backup.interval", "30S"))
                        .get(0)
                        .startsWith("hotbackup.config-backup.interval: '30S'"));
        List<String> typo = problems(pair("hotbackup.config-backup.intervall", "1m"));
        assertTrue(
                typo.get(0).contains("did you mean hotbackup.config-backup.interval?"),
                typo.toString());
        HotBackupSettings fixed = load(backup("hotbackup.config-backup.interval", "1m"));
        assertTrue(
                fixed.warnings.stream()
                        .anyMatch(
                                w ->
                                        w.startsWith(
                                                        "hotbackup.config-backup.interval has no"
                                                                + " effect")
                                                && w.contains("hotbackup.role is not auto")),
                fixed.warnings.toString());
    }
}
