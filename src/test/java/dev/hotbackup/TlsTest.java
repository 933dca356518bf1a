package dev.hotbackup;

import static dev.hotbackup.testing.ActivityLines.field;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.Tls;
import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
import dev.hotbackup.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * TLS with client certificates on the heartbeat link and the probe, with key stores made by the
 * test. The instance also heartbeats to its own listener, so the emitter's side (with host name
 * verification) is exercised too.
 */
class TlsTest extends ListenerTestSupport {

    private static final Path DIR = Path.of("target/test-tls");
    private static final Path BACKUP;
    private static final Path LIVE;
    private static final Path ROGUE;
    private static final Path TRUST;

    static {
        try {
            TestCertificates certs = new TestCertificates(DIR);
            BACKUP = certs.keyStore("backup");
            LIVE = certs.keyStore("live");
            ROGUE = certs.keyStore("rogue");
            TRUST = certs.trustStore("trust", BACKUP, LIVE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.tls.enabled", "true");
        p.put("hotbackup.tls.keystore", BACKUP.toString());
        p.put("hotbackup.tls.keystore-password", TestCertificates.PASSWORD);
        p.put("hotbackup.tls.truststore", TRUST.toString());
        p.put("hotbackup.tls.truststore-password", TestCertificates.PASSWORD);
        p.put("hotbackup.tls.client-auth", "require");
        p.put("hotbackup.backup-location", "127.0.0.1:" + LISTENER_PORT);
        // the first TLS handshake of a cold JVM on a busy machine can take longer than 200 ms
        p.put("hotbackup.listener.threshold", "3s");
        p.put("hotbackup.listener.probe-timeout", "1500ms");
    }

    private static Tls tls(Path keyStore) throws Exception {
        Tls tls =
                Tls.of(
                        keyStore.toString(),
                        TestCertificates.PASSWORD,
                        TRUST.toString(),
                        TestCertificates.PASSWORD,
                        true,
                        true,
                        List.of("TLSv1.3", "TLSv1.2"));
        tls.init(new DefaultCamelContext());
        return tls;
    }

    @Test
    void heartbeatsAndProbesTravelOverMutualTls() throws Exception {
        // the instance's own emitter, over TLS with host name verification
        awaitState("backupB", MonitorState.LIVE);

        FakeLiveHost a =
                new FakeLiveHost("serverA", "base", SECRET, LISTENER_PORT)
                        .withTls(tls(LIVE))
                        .start();
        try {
            a.startHeartbeats(100);
            awaitState("serverA", MonitorState.LIVE);
            a.stopHeartbeats();
            // the silent host is probed over TLS and answers
            eventually(() -> !log().matching(field("host", "serverA"), "probe answered").isEmpty());
        } finally {
            a.close();
        }
    }

    @Test
    void plainTcpAndUntrustedCertificatesAreRefused() throws Exception {
        awaitState("backupB", MonitorState.LIVE);
        FakeLiveHost plain = liveHost("plainHost");
        plain.send(FrameState.LIVE);
        // with TLS 1.3 the server refuses the client's certificate after the client's side of
        // the handshake is done, so the refusal shows as frames that never arrive
        FakeLiveHost rogue =
                new FakeLiveHost("rogueHost", "base", SECRET, LISTENER_PORT).withTls(tls(ROGUE));
        try {
            rogue.start();
            rogue.send(FrameState.LIVE);
        } catch (Exception refused) {
            // refused during the handshake: also fine
        } finally {
            rogue.close();
        }
        log().holds(
                        "the condition",
                        Duration.ofMillis(500),
                        Duration.ofSeconds(2),
                        () ->
                                monitors.stateOf("plainHost", "base") == null
                                        && monitors.stateOf("rogueHost", "base") == null);
        assertEquals(MonitorState.LIVE, monitors.stateOf("backupB", "base"));
    }
}
