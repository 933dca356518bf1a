package dev.hotbackup;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.link.Rejections;
import dev.hotbackup.monitor.MonitorRegistry;
import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.operate.ActiveHost;
import dev.hotbackup.routes.Headers;
import dev.hotbackup.testing.ActivityLines;
import dev.hotbackup.testing.FakeLiveHost;
import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.TestProperties;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Boots the real camel-hot-backup main with the real application.properties and route files, as a
 * backup with a listener on a free loopback port, a one-second threshold, a real SMTP server
 * (GreenMail) and the test takeover routes. Every signal the listener publishes is also copied to
 * {@code mock:seda:hotbackup-signals}.
 */
@CamelMainTest(
        mainClass = HotBackupMain.class,
        properties = {
            "hotbackup.host=backupB",
            "hotbackup.listener.bind-address=127.0.0.1",
            "hotbackup.listener.threshold=1s",
            "hotbackup.listener.probe-timeout=200ms",
            "hotbackup.secret=test-secret-0123456789",
            "hotbackup.takeover.routes=takeover-a,takeover-b",
            "hotbackup.mail.to=ops@example.com",
            "camel.main.routes-include-pattern="
                    + "classpath:test-routes/*.camel.yaml,classpath:test-routes/*.camel.xml"
        },
        propertyPlaceholderLocations = "classpath:hotbackup/camel.properties",
        mockEndpoints = "seda:hotbackup-signals*")
public abstract class ListenerTestSupport {

    protected static final String SECRET = "test-secret-0123456789";
    protected static final Duration THRESHOLD = Duration.ofSeconds(1);
    protected static final int LISTENER_PORT = FreePorts.next();
    protected static final int SMTP_PORT = FreePorts.next();
    protected static final int HTTP_PORT = FreePorts.next();
    protected static final int OBSERVE_PORT = FreePorts.next();
    protected static final int SECOND_PORT = FreePorts.next();
    protected static final int THIRD_PORT = FreePorts.next();
    protected static final String TOKEN = "test-operator-token-0123456789";
    private static final ServerSocket BUSY = busyPort();

    static {
        // camel-main binds its HTTP servers before any configuration class runs: these must be
        // known from the start, as they are in a deployment (application.properties, -D, env)
        System.setProperty("hotbackup.http.enabled", "true");
        System.setProperty("hotbackup.http.port", Integer.toString(HTTP_PORT));
        System.setProperty("hotbackup.http.observe-port", Integer.toString(OBSERVE_PORT));
        System.setProperty("hotbackup.http.bind-address", "127.0.0.1");
    }

    @RegisterExtension
    protected static final GreenMailExtension MAIL =
            new GreenMailExtension(
                            new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                    // one server for the class, so it outlives each test's Camel context
                    .withPerMethodLifecycle(false);

    @BeanInject protected CamelContext context;

    @BeanInject("monitorRegistry")
    protected MonitorRegistry monitors;

    @BeanInject("activityLog")
    protected ActivityLog activity;

    @BeanInject("rejections")
    protected Rejections rejections;

    @EndpointInject("mock:seda:hotbackup-signals")
    protected MockEndpoint signals;

    private final List<FakeLiveHost> hosts = new ArrayList<>();

    /** Which route set runs: {@code yaml} or {@code xml}. */
    protected String dsl() {
        return "yaml";
    }

    /** Where mail goes; a test can point it at a port nobody listens on. */
    protected int mailPort() {
        return SMTP_PORT;
    }

    /** Further properties of a test class. */
    protected void properties(Map<String, String> p) {}

    @Configure
    protected void configure(MainConfigurationProperties main) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("hotbackup.dsl", dsl());
        p.put("hotbackup.listener.port", Integer.toString(LISTENER_PORT));
        p.put("hotbackup.mail.host", "127.0.0.1");
        p.put("hotbackup.mail.port", Integer.toString(mailPort()));
        p.put("test.busy-port", Integer.toString(BUSY.getLocalPort()));
        p.put("hotbackup.http.token", TOKEN);
        p.put("test.second-port", Integer.toString(SECOND_PORT));
        p.put("test.third-port", Integer.toString(THIRD_PORT));
        // a state folder per test: what one test leaves must not be restored in the next
        p.put(
                "hotbackup.state-dir",
                "target/test-state/" + getClass().getSimpleName() + "/" + UUID.randomUUID());
        p.put(
                "hotbackup.listener.activity-log-file",
                "target/test-activity/" + getClass().getSimpleName() + ".log");
        properties(p);
        TestProperties.apply(main, p);
    }

    /** The activity log, for assertions and waits that show it when they fail. */
    protected ActivityLines log() {
        return ActivityLines.of(activity);
    }

    /** Waits up to ten seconds for {@code condition}; a failure shows the recent activity. */
    protected void eventually(Callable<Boolean> condition) {
        log().until("the condition", Duration.ofSeconds(10), condition);
    }

    /** What GET /hotbackup/active/{host} answers here. */
    protected ActiveHost.Answer active(String host) {
        return context.getRegistry()
                .lookupByNameAndType("hotbackupActive", ActiveHost.class)
                .of(host, null);
    }

    /** A live host for this test that heartbeats every 100 ms and is LIVE. */
    protected FakeLiveHost beatingHost(String host) throws Exception {
        FakeLiveHost h = liveHost(host);
        h.startHeartbeats(100);
        awaitState(host, MonitorState.LIVE);
        return h;
    }

    /** {@code host} heartbeats, then crashes: it is DEAD and {@code route} runs here. */
    protected FakeLiveHost takenOver(String host, String route) throws Exception {
        FakeLiveHost h = beatingHost(host);
        h.crash();
        awaitState(host, MonitorState.DEAD);
        eventually(() -> status(route).isStarted());
        return h;
    }

    /** A crashed host runs again: a new boot, heartbeats every 100 ms, LIVE. */
    protected void beatsAgain(FakeLiveHost h) throws Exception {
        h.restart();
        h.startHeartbeats(100);
        awaitState(h.host(), MonitorState.LIVE);
    }

    /** A live host for this test, closed after it. */
    protected FakeLiveHost liveHost(String host) throws Exception {
        FakeLiveHost h = new FakeLiveHost(host, "base", SECRET, LISTENER_PORT).start();
        hosts.add(h);
        return h;
    }

    @AfterEach
    void closeHosts() throws Exception {
        for (FakeLiveHost h : hosts) {
            h.close();
        }
    }

    protected void awaitState(String host, MonitorState state) {
        log().until(
                        host + "/base to become " + state,
                        Duration.ofSeconds(10),
                        () -> monitors.stateOf(host, "base") == state);
    }

    protected ServiceStatus status(String routeId) {
        return context.getRouteController().getRouteStatus(routeId);
    }

    /** The signal XML bodies published so far, in order. */
    protected List<String> signalBodies() {
        return signals.getReceivedExchanges().stream()
                .map(e -> e.getIn().getBody(String.class))
                .toList();
    }

    /** The signals published so far for one host, as their state names. */
    protected List<String> signalStates(String host) {
        List<String> out = new ArrayList<>();
        for (Exchange e : signals.getReceivedExchanges()) {
            if (host.equals(e.getIn().getHeader(Headers.HOST))) {
                out.add(e.getIn().getHeader("HotBackupState", String.class));
            }
        }
        return out;
    }

    private static ServerSocket busyPort() {
        try {
            return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
