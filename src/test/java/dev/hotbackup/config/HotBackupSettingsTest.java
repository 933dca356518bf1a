package dev.hotbackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HotBackupSettingsTest {

    private static HotBackupSettings load(Map<String, String> values) {
        return HotBackupSettings.load(values::get);
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
        assertEquals("0.0.0.0", s.listenerBindAddress);
        assertTrue(s.takeoverOnClose);
        assertTrue(s.activityLog);
        assertEquals(25, s.mailPort);
    }

    @Test
    void checkIntervalIsATwentiethOfAShortThreshold() {
        assertEquals(
                Duration.ofMillis(50),
                load(Map.of("hotbackup.listener.threshold", "1s")).checkInterval);
    }

    @Test
    void backupLocationTakesSeveralTargetsAndIpv6() {
        HotBackupSettings s =
                load(
                        Map.of(
                                "hotbackup.backup-location", "hostB:7800, [::1]:7801",
                                "hotbackup.secret", "s"));
        assertEquals(
                List.of(new HostPort("hostB", 7800), new HostPort("::1", 7801)), s.backupLocation);
        assertEquals("[::1]:7801", s.backupLocation.get(1).toString());
    }

    @Test
    void everyBadValueIsNamedInOneError() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                load(
                                        Map.of(
                                                "hotbackup.listener.port", "seventy",
                                                "hotbackup.listener.threshold", "soon",
                                                "hotbackup.backup-location", "hostB",
                                                "hotbackup.takeover.on-close", "yes",
                                                "hotbackup.listener.whitespace", "squash",
                                                "hotbackup.mail.host", "smtp.example.com")));
        String m = e.getMessage();
        assertTrue(m.contains("hotbackup.listener.port: 'seventy' is not a port number"), m);
        assertTrue(m.contains("hotbackup.listener.threshold: 'soon' is not a duration"), m);
        assertTrue(m.contains("hotbackup.backup-location: 'hostB' is not host:port"), m);
        assertTrue(m.contains("hotbackup.takeover.on-close: 'yes' is not true or false"), m);
        assertTrue(
                m.contains(
                        "hotbackup.listener.whitespace: 'squash' is not one of [preserve, condense]"),
                m);
        assertTrue(m.contains("hotbackup.mail.to: is required"), m);
    }

    @Test
    void fullBackupNeedsAListener() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> load(Map.of("hotbackup.backup", "true")));
        assertTrue(e.getMessage().contains("hotbackup.listener.port"), e.getMessage());
    }

    @Test
    void secretNeverAppearsInTheDescription() {
        HotBackupSettings s =
                load(Map.of("hotbackup.secret", "hunter2", "hotbackup.mail.password", "pw9"));
        assertFalse(s.toString().contains("hunter2"));
        assertFalse(s.toString().contains("pw9"));
    }

    @Test
    void listenerOnTheNetworkNeedsASecret() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> load(Map.of("hotbackup.listener.port", "7800")));
        assertTrue(e.getMessage().contains("hotbackup.secret: is not set"), e.getMessage());
        assertTrue(e.getMessage().contains("hotbackup.allow-unsigned=true"), e.getMessage());
    }

    @Test
    void emitterToAnotherHostNeedsASecret() {
        assertThrows(
                IllegalArgumentException.class,
                () -> load(Map.of("hotbackup.backup-location", "otherhost.example:7800")));
    }

    @Test
    void loopbackOnlyOrAnExplicitOptOutMayGoUnsigned() {
        load(
                Map.of(
                        "hotbackup.listener.port",
                        "7800",
                        "hotbackup.listener.bind-address",
                        "127.0.0.1"));
        load(Map.of("hotbackup.backup-location", "localhost:7800,127.0.0.1:7801"));
        load(Map.of("hotbackup.listener.port", "7800", "hotbackup.allow-unsigned", "true"));
    }

    @Test
    void tlsNeedsBothStoresAndKnownProtocols() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                load(
                                        Map.of(
                                                "hotbackup.tls.enabled", "true",
                                                "hotbackup.tls.protocols", "SSLv3",
                                                "hotbackup.tls.client-auth", "maybe")));
        String m = e.getMessage();
        assertTrue(m.contains("hotbackup.tls.enabled: needs hotbackup.tls.keystore"), m);
        assertTrue(m.contains("hotbackup.tls.protocols: 'SSLv3'"), m);
        assertTrue(
                m.contains("hotbackup.tls.client-auth: 'maybe' is not one of [none, require]"), m);
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), load(Map.of()).tlsProtocols);
    }

    @Test
    void allowAndExpectTakeHostSlashConfig() {
        HotBackupSettings s =
                load(
                        Map.of(
                                "hotbackup.listener.allow", "server*/base, */dr",
                                "hotbackup.listener.expect", "serverA/base"));
        assertEquals(List.of("server*/base", "*/dr"), s.allow);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> load(Map.of("hotbackup.listener.expect", "serverA")));
        assertTrue(e.getMessage().contains("'serverA' is not host/config"), e.getMessage());
    }
}
