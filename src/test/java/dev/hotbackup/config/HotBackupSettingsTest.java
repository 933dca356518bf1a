package dev.hotbackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading and checking the keys: defaults, bad values, combinations, unknown keys. */
class HotBackupSettingsTest {

    private static final String SECRET = "0123456789abcdef";

    /** Loads {@code values} as the keys a user set (all of them counted as configured). */
    static HotBackupSettings load(Map<String, String> values) {
        Map<String, String> configured = new HashMap<>();
        values.keySet().forEach(k -> configured.put(k, "test"));
        return HotBackupSettings.load(values::get, configured);
    }

    /** The problems {@code values} are refused with. */
    static List<String> problems(Map<String, String> values) {
        return assertThrows(InvalidConfigurationException.class, () -> load(values)).problems();
    }

    /** A backup on loopback that takes over one route: valid unless a test breaks it. */
    static Map<String, String> backup(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        m.put("hotbackup.listener.port", "7800");
        m.put("hotbackup.listener.bind-address", "127.0.0.1");
        m.put("hotbackup.takeover.routes", "orders");
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsFollowTheContract() {
        HotBackupSettings s = load(Map.of());
        assertEquals("base", s.config);
        assertFalse(s.backup);
        assertFalse(s.listenerEnabled());
        assertFalse(s.emitterEnabled());
        assertFalse(s.mailEnabled());
        assertEquals(Duration.ofMillis(100), s.heartbeatInterval);
        assertEquals(Duration.ofSeconds(60), s.threshold);
        assertEquals(Duration.ofMillis(100), s.checkInterval);
        assertEquals(Duration.ofSeconds(1), s.probeTimeout);
        assertEquals("0.0.0.0", s.listenerBindAddress);
        assertTrue(s.takeoverOnClose);
        assertTrue(s.activityLog);
        assertEquals(25, s.mailPort);
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), s.tlsProtocols);
        assertEquals(List.of(), s.warnings);
    }

    @Test
    void derivedDefaultsAreOfferedToPlaceholders() {
        HotBackupSettings s = load(backup("hotbackup.listener.threshold", "1s"));
        assertEquals(Duration.ofMillis(50), s.checkInterval);
        assertEquals("50ms", s.defaults.get("hotbackup.listener.check-interval"));
        assertEquals("250ms", s.defaults.get("hotbackup.listener.probe-timeout"));
        assertEquals("true", s.defaults.get("hotbackup.http.enabled"));
        // what the user set is not a default
        assertFalse(s.defaults.containsKey("hotbackup.listener.threshold"));
    }

    @Test
    void backupLocationTakesSeveralTargetsAndIpv6() {
        HotBackupSettings s =
                load(
                        Map.of(
                                "hotbackup.backup-location",
                                "hostB:7800, [::1]:7801",
                                "hotbackup.secret",
                                SECRET));
        assertEquals(
                List.of(new HostPort("hostB", 7800), new HostPort("::1", 7801)), s.backupLocation);
        assertEquals("[::1]:7801", s.backupLocation.get(1).toString());
    }

    @ParameterizedTest
    @CsvSource({"100ms,100", "2s,2000", "60s,60000", "5m,300000", "1h,3600000", "1m30s,90000"})
    void durationsAreWrittenAsTheDocsSay(String text, long millis) {
        assertEquals(
                Duration.ofMillis(millis),
                load(backup("hotbackup.listener.threshold", text)).threshold);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "abc   | write it as 100ms, 2s, 60s, 5m or 1h",
                "-5s   | cannot be negative",
                "10x   | write it as 100ms, 2s, 60s, 5m or 1h",
                "30S   | units are written in lower case: did you mean 30s?",
                "5000  | it has no unit (Camel would read it as 5000 ms); write 5000ms or 5s",
                "1.5s  | write whole numbers only",
                "10 s  | write it without a space: 10s"
            })
    void aBadDurationIsRefusedAloneWithWhatWasMeant(String text, String hint) {
        List<String> p = problems(backup("hotbackup.takeover.failback-delay", text));
        assertEquals(1, p.size(), p.toString());
        assertTrue(
                p.get(0).startsWith("hotbackup.takeover.failback-delay: '" + text.strip() + "'"),
                p.get(0));
        assertTrue(p.get(0).contains("is not a duration"), p.get(0));
        assertTrue(p.get(0).contains(hint), p.get(0));
    }

    @Test
    void aRefusedThresholdDoesNotDragInTheKeysDerivedFromIt() {
        List<String> p = problems(backup("hotbackup.listener.threshold", "30S"));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("hotbackup.listener.threshold:"), p.get(0));
    }

    @Test
    void aDurationOutOfRangeSaysTheRange() {
        List<String> p = problems(backup("hotbackup.listener.threshold", "50ms"));
        assertEquals(
                List.of(
                        "hotbackup.listener.threshold: '50ms' is out of range: write a duration"
                                + " from 100ms to 1d"),
                p);
    }

    @Test
    void probeTimeoutAndCheckIntervalMustFitTheThreshold() {
        List<String> p =
                problems(
                        backup(
                                "hotbackup.listener.threshold", "2s",
                                "hotbackup.listener.probe-timeout", "1500ms",
                                "hotbackup.listener.check-interval", "3s"));
        assertEquals(2, p.size(), p.toString());
        assertTrue(
                p.get(0).startsWith("hotbackup.listener.check-interval: '3s' is longer"), p.get(0));
        assertTrue(p.get(1).contains("more than half of hotbackup.listener.threshold"), p.get(1));
    }

    @Test
    void everyBadValueIsNamedInOneError() {
        List<String> p =
                problems(
                        backup(
                                "hotbackup.listener.port", "seventy",
                                "hotbackup.listener.threshold", "soon",
                                "hotbackup.backup-location", "hostB",
                                "hotbackup.takeover.on-close", "yes",
                                "hotbackup.listener.whitespace", "squash",
                                "hotbackup.mail.host", "smtp.example.com"));
        String m = String.join("\n", p);
        assertTrue(m.contains("hotbackup.listener.port: 'seventy' is not a port number"), m);
        assertTrue(m.contains("hotbackup.listener.threshold: 'soon' is not a duration"), m);
        assertTrue(m.contains("hotbackup.backup-location: 'hostB' is not host:port"), m);
        assertTrue(m.contains("hotbackup.takeover.on-close: 'yes' is not true or false"), m);
        assertTrue(
                m.contains(
                        "hotbackup.listener.whitespace: 'squash' is not one of preserve, condense"),
                m);
        assertTrue(m.contains("hotbackup.mail.to: is required"), m);
    }

    @Test
    void fullBackupNeedsAListenerAndRoutesToTakeOver() {
        assertTrue(
                problems(Map.of("hotbackup.backup", "true"))
                        .get(0)
                        .contains("hotbackup.listener.port"));
        List<String> p =
                problems(
                        Map.of(
                                "hotbackup.backup", "true",
                                "hotbackup.listener.port", "7800",
                                "hotbackup.listener.bind-address", "127.0.0.1",
                                "hotbackup.mail.host", "smtp",
                                "hotbackup.mail.to", "ops@example.com"));
        assertEquals(1, p.size(), p.toString());
        assertTrue(
                p.get(0).startsWith("hotbackup.takeover.routes: is empty: a full backup"),
                p.get(0));
    }

    @Test
    void takeoverRoutesWithoutAListenerWouldNeverStart() {
        List<String> p = problems(Map.of("hotbackup.takeover.routes", "orders"));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("no Backup listener runs here"), p.get(0));
        assertTrue(p.get(0).contains("set hotbackup.listener.port"), p.get(0));
        assertTrue(
                problems(Map.of("hotbackup.takeover.routes.serverA/base", "orders"))
                        .get(0)
                        .startsWith(
                                "hotbackup.takeover.routes.serverA/base: lists takeover routes"));
    }

    @Test
    void aListenerThatWouldDoNothingIsRefusedAndOneThatOnlyMailsIsWarnedAbout() {
        Map<String, String> idle = backup();
        idle.remove("hotbackup.takeover.routes");
        List<String> p = problems(idle);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("would see a host die and do nothing about it"), p.get(0));

        idle.put("hotbackup.mail.host", "smtp");
        idle.put("hotbackup.mail.to", "ops@example.com");
        assertEquals(
                List.of(
                        "hotbackup.takeover.routes is empty: this listener only mails when a host"
                                + " dies; nothing is taken over"),
                load(idle).warnings);
        idle.remove("hotbackup.mail.host");
        idle.remove("hotbackup.mail.to");
        idle.put("hotbackup.listener.signals-to", "seda:mine");
        assertEquals(List.of(), load(idle).warnings);
    }

    @Test
    void recipientsWithoutAMailServerWouldGetNothing() {
        List<String> p = problems(backup("hotbackup.mail.to", "ops@example.com"));
        assertEquals(
                List.of(
                        "hotbackup.mail.host: is empty, so no mail would be sent to"
                                + " ops@example.com: set the SMTP server in hotbackup.mail.host"),
                p);
    }

    @Test
    void keysForAPartThatDoesNotRunHereAreNamedInWarnings() {
        HotBackupSettings s =
                load(
                        Map.of(
                                "hotbackup.backup-location", "127.0.0.1:7800",
                                "hotbackup.listener.threshold", "5s",
                                "hotbackup.http.port", "8081",
                                "hotbackup.tls.client-auth", "require"));
        assertEquals(
                List.of(
                        "hotbackup.listener.threshold has no effect: no Backup listener runs here"
                                + " (hotbackup.listener.port is empty)",
                        "hotbackup.tls.client-auth has no effect: TLS is off"
                                + " (hotbackup.tls.enabled=false)",
                        "hotbackup.http.port has no effect: the HTTP server is off"
                                + " (hotbackup.http.enabled=false)"),
                s.warnings);
    }

    @ParameterizedTest
    @CsvSource({
        "hotbackup.listner.port, hotbackup.listener.port",
        "hotbackup.backup-locaton, hotbackup.backup-location",
        "hotbackup.listener.treshold, hotbackup.listener.threshold",
        "hotbackup.threshold, hotbackup.listener.threshold",
        "hotbackup.takeover.route, hotbackup.takeover.routes",
        "hotbackup.mail.hots, hotbackup.mail.host",
        "hotbackup.takover.routes.serverA/base, hotbackup.takeover.routes.serverA/base",
        "hotbackup.Listener.Port, hotbackup.listener.port",
        "hotbackup.arbiter.leese, hotbackup.arbiter.lease",
        "hotbackup.arbiter.jdbc.uri, hotbackup.arbiter.jdbc.url",
        "hotbackup.gateway.fence-afer, hotbackup.gateway.fence-after",
        "hotbackup.observe.port, hotbackup.http.observe-port"
    })
    void anUnknownKeyIsRefusedWithTheClosestKnownKey(String typo, String meant) {
        List<String> p = problems(backup(typo, "1"));
        assertEquals(1, p.size(), p.toString());
        assertTrue(
                p.get(0).startsWith(typo + ": no such key; did you mean " + meant + "?"), p.get(0));
        assertTrue(p.get(0).contains("hotbackup.unknown-keys=warn"), p.get(0));
    }

    @Test
    void anUnknownKeyFarFromEveryKeyPointsToTheReference() {
        List<String> p = problems(backup("hotbackup.colour", "blue"));
        assertTrue(
                p.get(0)
                        .startsWith(
                                "hotbackup.colour: no such key (every key is listed in"
                                        + " docs/configuration.md)"),
                p.get(0));
    }

    @Test
    void anUnknownEnvironmentVariableIsNamedWithTheVariableItMeant() {
        Map<String, String> configured = new HashMap<>();
        Map<String, String> values = backup();
        values.keySet().forEach(k -> configured.put(k, "test"));
        configured.put("HOTBACKUP_LISTNER_THRESHOLD", "environment");
        List<String> p =
                assertThrows(
                                InvalidConfigurationException.class,
                                () -> HotBackupSettings.load(values::get, configured))
                        .problems();
        assertEquals(1, p.size(), p.toString());
        assertTrue(
                p.get(0)
                        .startsWith(
                                "environment variable HOTBACKUP_LISTNER_THRESHOLD: no such key; did"
                                        + " you mean HOTBACKUP_LISTENER_THRESHOLD"
                                        + " (hotbackup.listener.threshold)?"),
                p.get(0));
    }

    @Test
    void unknownKeysOnlyWarnWhenAskedTo() {
        HotBackupSettings s =
                load(backup("hotbackup.listner.port", "7800", "hotbackup.unknown-keys", "warn"));
        assertEquals(1, s.warnings.size(), s.warnings.toString());
        assertTrue(
                s.warnings.get(0).startsWith("hotbackup.listner.port: no such key; did you mean"));
    }

    @Test
    void aMailTemplateOfAStateThatDoesNotExistIsRefused() {
        List<String> p =
                problems(
                        backup(
                                "hotbackup.mail.host", "smtp",
                                "hotbackup.mail.to", "ops@example.com",
                                "hotbackup.mail.subject.daed", "x"));
        assertEquals(
                List.of(
                        "hotbackup.mail.subject.daed: 'daed' is not a state: write"
                                + " hotbackup.mail.subject.live, .dead or .close"),
                p);
    }

    @Test
    void aPerPairKeyWithoutAConfigShowsACorrectExample() {
        List<String> p = problems(backup("hotbackup.takeover.routes.liveZ", "orders"));
        assertEquals(
                List.of(
                        "hotbackup.takeover.routes.liveZ: must end in <host>/<config>, for example"
                                + " hotbackup.takeover.routes.liveZ/base"),
                p);
    }

    @Test
    void aShortSecretIsRefusedWithoutBeingShown() {
        List<String> p = problems(backup("hotbackup.secret", "hunter2"));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("hotbackup.secret: is 7 characters long; use at least 16"));
        assertFalse(p.get(0).contains("hunter2"));
    }

    @Test
    void secretsNeverAppearInTheDescription() {
        HotBackupSettings s =
                load(
                        backup(
                                "hotbackup.secret", "hunter2-hunter2-hunter2",
                                "hotbackup.mail.password", "pw9"));
        assertFalse(s.toString().contains("hunter2"));
        assertFalse(s.toString().contains("pw9"));
    }

    @Test
    void theDescriptionOfALiveHostLeavesOutTheListener() {
        String s = load(Map.of("hotbackup.backup-location", "127.0.0.1:7800")).toString();
        assertTrue(s.contains("listener=off"), s);
        assertFalse(s.contains("threshold"), s);
        assertTrue(s.contains("pack routes=yaml (from the jar)"), s);
    }

    @Test
    void listenerOnTheNetworkNeedsASecret() {
        List<String> p = problems(backup("hotbackup.listener.bind-address", ""));
        assertTrue(p.get(0).startsWith("hotbackup.secret: is not set"), p.toString());
        assertTrue(p.get(0).contains("hotbackup.allow-unsigned=true"), p.get(0));
    }

    @Test
    void emitterToAnotherHostNeedsASecret() {
        assertThrows(
                InvalidConfigurationException.class,
                () -> load(Map.of("hotbackup.backup-location", "otherhost.example:7800")));
    }

    @Test
    void loopbackOnlyOrAnExplicitOptOutMayGoUnsigned() {
        load(backup());
        load(Map.of("hotbackup.backup-location", "localhost:7800,127.0.0.1:7801"));
        load(backup("hotbackup.listener.bind-address", "", "hotbackup.allow-unsigned", "true"));
    }

    @Test
    void tlsNeedsBothStoresAndKnownProtocols() {
        String m =
                String.join(
                        "\n",
                        problems(
                                Map.of(
                                        "hotbackup.tls.enabled", "true",
                                        "hotbackup.tls.protocols", "SSLv3",
                                        "hotbackup.tls.client-auth", "maybe")));
        assertTrue(m.contains("hotbackup.tls.enabled: needs hotbackup.tls.keystore"), m);
        assertTrue(m.contains("hotbackup.tls.protocols: 'SSLv3'"), m);
        assertTrue(m.contains("hotbackup.tls.client-auth: 'maybe' is not one of none, require"), m);
    }

    @Test
    void anArbiterCalledByItsProductNamesTheKind() {
        String m =
                String.join(
                        "\n",
                        problems(
                                Map.of(
                                        "hotbackup.host", "serverA",
                                        "hotbackup.arbiter", "postgres")));
        assertTrue(
                m.contains(
                        "hotbackup.arbiter: 'postgres' is not one of none, jdbc, zookeeper, file;"
                                + " did you mean jdbc?"),
                m);
    }

    @Test
    void allowAndExpectTakeHostSlashConfig() {
        HotBackupSettings s =
                load(
                        backup(
                                "hotbackup.listener.allow", "server*/base, */dr",
                                "hotbackup.listener.expect", "serverA/base"));
        assertEquals(List.of("server*/base", "*/dr"), s.allow);
        assertTrue(
                problems(backup("hotbackup.listener.expect", "serverA"))
                        .get(0)
                        .contains("'serverA' is not host/config"));
    }

    @Test
    void leaseTimingDefaultsFollowTheLease() {
        HotBackupSettings s =
                load(
                        backup(
                                "hotbackup.arbiter", "file",
                                "hotbackup.arbiter.file.path", "/mnt/x",
                                "hotbackup.arbiter.lease", "20s"));
        assertEquals(Duration.ofSeconds(4), s.renewInterval);
        assertEquals(Duration.ofSeconds(12), s.renewDeadline);
        assertEquals(Duration.ofSeconds(20), s.zookeeperSessionTimeout);
        assertTrue(s.haltOnStuck);
        assertFalse(s.failbackKeep);
    }

    @Test
    void aWrongArbiterOrLeaseIsRefusedNamingTheKey() {
        List<String> p =
                problems(backup("hotbackup.arbiter", "postgres", "hotbackup.arbiter.lease", "10"));
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("hotbackup.arbiter: 'postgres'"), p.get(0));
        assertTrue(p.get(0).contains("jdbc"), p.get(0));
        assertTrue(p.get(1).startsWith("hotbackup.arbiter.lease: '10'"), p.get(1));
    }

    @Test
    void eachBackendNeedsItsOwnKeys() {
        assertTrue(
                problems(backup("hotbackup.arbiter", "jdbc"))
                        .get(0)
                        .startsWith("hotbackup.arbiter.jdbc.url: is required"));
        assertTrue(
                problems(
                                backup(
                                        "hotbackup.arbiter", "jdbc",
                                        "hotbackup.arbiter.jdbc.url", "jdbc:h2:mem:x"))
                        .get(0)
                        .contains("in-memory"));
        assertTrue(
                problems(backup("hotbackup.arbiter", "zookeeper"))
                        .get(0)
                        .startsWith("hotbackup.arbiter.zookeeper.connect: is required"));
        assertTrue(
                problems(backup("hotbackup.arbiter", "file"))
                        .get(0)
                        .startsWith("hotbackup.arbiter.file.path: is required"));
    }

    @Test
    void aRenewDeadlineThatLeavesNoTimeToStopIsRefused() {
        List<String> p =
                problems(
                        backup(
                                "hotbackup.arbiter", "file",
                                "hotbackup.arbiter.file.path", "/mnt/x",
                                "hotbackup.arbiter.renew-deadline", "9500ms"));
        assertTrue(
                p.get(0).startsWith("hotbackup.arbiter.renew-deadline: the renew deadline"),
                p.toString());
        p =
                problems(
                        backup(
                                "hotbackup.arbiter", "file",
                                "hotbackup.arbiter.file.path", "/mnt/x",
                                "hotbackup.arbiter.renew-interval", "7s"));
        assertTrue(
                p.get(0).startsWith("hotbackup.arbiter.renew-interval: '7s' is not shorter"),
                p.toString());
    }

    @Test
    void guardedRoutesNeedALeaseAndAnArbiterMustGuardSomething() {
        List<String> p = problems(Map.of("hotbackup.arbiter.routes", "orders"));
        assertTrue(p.get(0).startsWith("hotbackup.arbiter.routes: lists routes"), p.toString());
        p =
                problems(
                        Map.of(
                                "hotbackup.arbiter", "file",
                                "hotbackup.arbiter.file.path", "/mnt/x"));
        assertTrue(p.get(0).contains("guards nothing on this instance"), p.toString());
        // the gateway alone guards the live host's routes
        HotBackupSettings s =
                load(
                        Map.of(
                                "hotbackup.arbiter.routes", "orders",
                                "hotbackup.gateway", "10.0.0.1:22"));
        assertTrue(s.guardsLeases());
    }

    @Test
    void withoutAnArbiterTheGatewayMustFenceBeforeTheThreshold() {
        List<String> p =
                problems(
                        backup(
                                "hotbackup.gateway", "10.0.0.1:22",
                                "hotbackup.listener.threshold", "5s",
                                "hotbackup.gateway.fence-after", "10s"));
        assertTrue(
                p.get(0).startsWith("hotbackup.gateway.fence-after: '10s' is not shorter"),
                p.toString());
    }

    @Test
    void arbiterKeysThatDoNothingHereAreNamed() {
        HotBackupSettings s =
                load(
                        backup(
                                "hotbackup.arbiter", "file",
                                "hotbackup.arbiter.file.path", "/mnt/x",
                                "hotbackup.arbiter.jdbc.url", "jdbc:postgresql://db/x"));
        assertTrue(
                s.warnings.contains(
                        "hotbackup.arbiter.jdbc.url has no effect: the arbiter is not jdbc"),
                s.warnings.toString());
    }
}
