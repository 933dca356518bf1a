package dev.hotbackup;

import static dev.hotbackup.testing.ActivityLines.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.operate.ActiveHost;
import dev.hotbackup.routes.Headers;
import dev.hotbackup.testing.ActivityLines;
import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.H2;
import dev.hotbackup.testing.TestProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A live host with {@code hotbackup.arbiter.routes}, its lease in a real H2 server: the guarded
 * route runs only under the lease, every exchange carries the epoch; when the database goes away
 * the host stops the route before the lease can lapse, says so by mail, and runs it again under a
 * new epoch once the database is back.
 */
@CamelMainTest(
        mainClass = HotBackupMain.class,
        properties = {
            "hotbackup.host=serverA",
            "hotbackup.arbiter=jdbc",
            "hotbackup.arbiter.lease=2s",
            "hotbackup.arbiter.routes=guarded-work",
            "hotbackup.mail.host=127.0.0.1",
            "hotbackup.mail.to=ops@example.com",
            "camel.main.routes-include-pattern=classpath:test-live-routes/*.camel.yaml"
        },
        propertyPlaceholderLocations = "classpath:hotbackup/camel.properties")
class ArbiterLiveHostTest {

    static final int SMTP = FreePorts.next();
    static final int H2_PORT = FreePorts.next();
    static final Path H2_DIR = tempDir();
    static Server h2 = h2();

    @RegisterExtension
    static final GreenMailExtension MAIL =
            new GreenMailExtension(new ServerSetup(SMTP, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                    .withPerMethodLifecycle(false);

    @BeanInject CamelContext context;

    @BeanInject("activityLog")
    ActivityLog activity;

    @EndpointInject("mock:guarded-work")
    MockEndpoint work;

    @Configure
    void configure(MainConfigurationProperties main) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("hotbackup.arbiter.jdbc.url", "jdbc:h2:tcp://127.0.0.1:" + H2_PORT + "/./arbiter");
        p.put("hotbackup.arbiter.jdbc.username", "sa");
        p.put("hotbackup.mail.port", Integer.toString(SMTP));
        p.put("hotbackup.state-dir", "target/test-state/ArbiterLiveHostTest/" + UUID.randomUUID());
        p.put(
                "hotbackup.listener.activity-log-file",
                "target/test-activity/ArbiterLiveHostTest.log");
        TestProperties.apply(main, p);
    }

    static Path tempDir() {
        try {
            return H2.newDir();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Server h2() {
        try {
            return H2.start(H2_PORT, H2_DIR);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void databaseUp() {
        if (!h2.isRunning(false)) {
            h2 = h2();
        }
    }

    @AfterAll
    static void stopH2() {
        h2.stop();
    }

    ActivityLines log() {
        return ActivityLines.of(activity);
    }

    boolean running() {
        return context.getRouteController().getRouteStatus("guarded-work").isStarted();
    }

    @Test
    void theGuardedRouteRunsOnlyUnderTheLeaseAndCarriesItsEpoch() throws Exception {
        log().until("the route runs", Duration.ofSeconds(10), this::running);
        work.expectedMinimumMessageCount(3);
        work.assertIsSatisfied(5000);
        Exchange first = work.getReceivedExchanges().get(0);
        Object epoch = first.getIn().getHeader(Headers.EPOCH);
        assertTrue(epoch instanceof Long && (Long) epoch >= 1, "epoch " + epoch);
        assertEquals("serverA/base", first.getIn().getHeader(Headers.LEASE));
        log().await(1, field("event", "lease"), field("state", "GRANTED"));
        log().await(1, field("event", "lease"), field("state", "ACTIVE"), "guarded-work: started");
    }

    @Test
    void losingTheDatabaseStopsTheRouteBeforeTheLeaseLapsesAndMails() throws Exception {
        log().until("the route runs", Duration.ofSeconds(10), this::running);
        long before = (Long) lastEpoch();
        ActiveHost.Answer holding = active();
        assertTrue(holding.active(), holding.toString());
        assertTrue(holding.why().startsWith("holds its own lease; running"), holding.why());
        long cut = System.currentTimeMillis();
        long cutNanos = System.nanoTime();
        h2.stop();
        log().until("the route stops", Duration.ofSeconds(5), () -> !running());
        ActiveHost.Answer fenced = active();
        assertEquals(503, fenced.status(), fenced.toString());
        assertTrue(fenced.why().contains("not every route runs: [guarded-work"), fenced.why());
        // the gate closed at the renew deadline (1.2 s after the last renewal, before the cut)
        long lastStarted =
                work.getReceivedExchanges().stream()
                        .mapToLong(e -> e.getClock().getCreated())
                        .max()
                        .orElse(cut);
        assertTrue(
                lastStarted - cut <= 1200 + 100,
                "an exchange started " + (lastStarted - cut) + " ms after the cut; lease 2 s");
        log().await(1, field("event", "lease"), field("state", "FENCED"));
        log().until(
                        "the fence is mailed",
                        Duration.ofSeconds(10),
                        () ->
                                Arrays.stream(MAIL.getReceivedMessages())
                                        .anyMatch(
                                                m ->
                                                        subject(m)
                                                                .contains(
                                                                        "serverA/base is FENCED")));

        // the database stays away until the lease has lapsed by its clock: the next grant is new
        log().until(
                        "the lease (2 s) has lapsed since the cut",
                        Duration.ofSeconds(5),
                        () -> System.nanoTime() - cutNanos >= TimeUnit.MILLISECONDS.toNanos(2300));
        h2 = h2();
        log().until("the route runs again", Duration.ofSeconds(15), this::running);
        long after = (Long) lastEpoch();
        assertTrue(after > before, "epoch " + after + " after " + before);
    }

    /** What GET /hotbackup/active/serverA answers. */
    private ActiveHost.Answer active() {
        return context.getRegistry()
                .lookupByNameAndType("hotbackupActive", ActiveHost.class)
                .of("serverA", null);
    }

    private Object lastEpoch() throws Exception {
        work.reset();
        work.expectedMinimumMessageCount(1);
        work.assertIsSatisfied(5000);
        return work.getReceivedExchanges().get(0).getIn().getHeader(Headers.EPOCH);
    }

    private static String subject(jakarta.mail.internet.MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            return "";
        }
    }
}
