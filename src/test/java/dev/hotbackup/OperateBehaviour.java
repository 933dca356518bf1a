package dev.hotbackup;

import static dev.hotbackup.testing.ActivityLines.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.operate.JmxControl;
import dev.hotbackup.testing.FakeLiveHost;
import dev.hotbackup.testing.Http;
import jakarta.mail.internet.MimeMessage;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees and does, over real HTTP and JMX: the status JSON and page, the health
 * check, the Prometheus metrics, and takeover and release by hand with the token.
 */
abstract class OperateBehaviour extends ListenerTestSupport {

    private static final String BASE = "http://127.0.0.1:" + HTTP_PORT + "/hotbackup/";
    private static final String OBSERVE = "http://127.0.0.1:" + OBSERVE_PORT + "/observe/";

    @Test
    void statusShowsEachPairStateRoutesAndHistory() throws Exception {
        FakeLiveHost a = beatingHost("serverA");
        String live = Http.get(BASE + "status").body();
        assertTrue(
                live.contains("\"host\":\"serverA\",\"config\":\"base\",\"state\":\"LIVE\""), live);
        assertTrue(live.contains("\"thresholdMs\":1000"), live);
        assertTrue(live.contains("{\"id\":\"takeover-a\",\"status\":\"Stopped\"}"), live);
        assertTrue(live.contains("\"role\":\"backup\""), live);
        assertTrue(live.contains("\"takenOverHere\":false"), live);

        a.crash();
        awaitState("serverA", MonitorState.DEAD);
        eventually(() -> status("takeover-a").isStarted());
        eventually(() -> Http.get(BASE + "status").body().contains("\"takenOverHere\":true"));
        String dead = Http.get(BASE + "status").body();
        assertTrue(
                dead.matches("(?s).*\"frames\":\\{\"accepted\":[1-9]\\d*,\"waiting\":0,.*"), dead);
        assertTrue(dead.contains("\"state\":\"DEAD\""), dead);
        assertTrue(dead.contains("{\"id\":\"takeover-a\",\"status\":\"Started\"}"), dead);
        assertTrue(dead.contains("\"role\":\"backup+takeover\""), dead);
        // newest first: the takeover, then the DEAD signal, then LIVE
        int takeover = dead.indexOf("\"event\":\"takeover\"");
        int deadSignal =
                dead.indexOf(
                        "\"event\":\"signal\",\"host\":\"serverA\",\"config\":\"base\",\"state\":\"DEAD\"");
        int liveSignal =
                dead.indexOf(
                        "\"event\":\"signal\",\"host\":\"serverA\",\"config\":\"base\",\"state\":\"LIVE\"");
        assertTrue(takeover >= 0 && takeover < deadSignal && deadSignal < liveSignal, dead);

        HttpResponse<String> page = Http.get(BASE);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>camel-hot-backup</title>"));
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    }

    @Test
    void activeAnswers200OnlyWhileTheHostsRoutesRunHere() throws Exception {
        FakeLiveHost a = beatingHost("serverA");
        HttpResponse<String> live = Http.get(BASE + "active/serverA");
        assertEquals(503, live.statusCode(), live.body());
        assertTrue(live.body().contains("serverA/base is LIVE, not taken over"), live.body());
        HttpResponse<String> typo = Http.get(BASE + "active/serverAA");
        assertEquals(404, typo.statusCode(), typo.body());
        assertTrue(typo.body().contains("nor a host it monitors [serverA/base]"), typo.body());

        a.crash();
        awaitState("serverA", MonitorState.DEAD);
        eventually(() -> Http.get(BASE + "active/serverA").statusCode() == 200);
        String taken = Http.get(BASE + "active/serverA?config=base").body();
        assertTrue(taken.contains("\"active\":true"), taken);
        assertTrue(taken.contains("took over serverA/base; running [takeover-a"), taken);
        assertEquals(404, Http.get(BASE + "active/serverA?config=other").statusCode());

        beatsAgain(a);
        // 503 as soon as the release is decided, while the routes may still be stopping
        eventually(() -> Http.get(BASE + "active/serverA").statusCode() == 503);
        eventually(() -> status("takeover-a").isStopped());
    }

    @Test
    void operatorTakesOverAndReleasesWithTheTokenOnly() throws Exception {
        FakeLiveHost a = beatingHost("serverA");
        String takeover = BASE + "monitors/serverA/base/takeover";

        HttpResponse<String> none = Http.post(takeover, null, null);
        assertEquals(401, none.statusCode(), none.body());
        HttpResponse<String> wrong = Http.post(takeover, TOKEN + "x", "mallory");
        assertEquals(401, wrong.statusCode(), wrong.body());
        assertTrue(status("takeover-a").isStopped());
        log().await(2, field("event", "operator-refused"));

        HttpResponse<String> unknown =
                Http.post(BASE + "monitors/nobody/base/takeover", TOKEN, "alice");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("serverA/base"), unknown.body());

        // a host that is LIVE runs its own routes: taking over would run them twice
        HttpResponse<String> refused = Http.post(takeover, TOKEN, "alice");
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("serverA/base is LIVE"), refused.body());
        assertTrue(refused.body().contains("force=true"), refused.body());
        assertTrue(status("takeover-a").isStopped());

        // unless the operator insists: then it is done, and recorded as forced
        HttpResponse<String> ok = Http.post(takeover + "?force=true", TOKEN, "alice");
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.body().contains("takeover-a: started"), ok.body());
        assertTrue(ok.body().contains("\"forced\":true"), ok.body());
        assertTrue(status("takeover-a").isStarted());
        assertTrue(status("takeover-b").isStarted());
        assertEquals(
                1,
                log().matching(
                                field("event", "operator"),
                                "takeover requested by http 127.0.0.1",
                                "alice (forced: serverA/base was LIVE)")
                        .size(),
                String.join("\n", activity.recentLines()));
        eventually(
                () ->
                        Arrays.stream(MAIL.getReceivedMessages())
                                .anyMatch(m -> body(m).contains("forced: serverA/base was LIVE")));

        HttpResponse<String> release =
                Http.post(BASE + "monitors/serverA/base/release", TOKEN, "alice");
        assertEquals(200, release.statusCode(), release.body());
        assertTrue(release.body().contains("takeover-a: stopped"), release.body());
        assertTrue(status("takeover-a").isStopped());
        // each forced action is mailed like a signal
        eventually(() -> MAIL.getReceivedMessages().length >= 3);
    }

    @Test
    void jmxShowsStateAndTakesOver() throws Exception {
        FakeLiveHost a = beatingHost("serverA");
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(JmxControl.NAME);
        String[] monitors = (String[]) server.getAttribute(name, "Monitors");
        assertTrue(
                monitors.length == 1 && monitors[0].startsWith("serverA/base LIVE, heard "),
                Arrays.toString(monitors));
        assertEquals("auto", server.getAttribute(name, "TakeoverMode"));

        RuntimeMBeanException live =
                assertThrows(
                        RuntimeMBeanException.class,
                        () ->
                                server.invoke(
                                        name,
                                        "takeover",
                                        new Object[] {"serverA", "base"},
                                        new String[] {
                                            String.class.getName(), String.class.getName()
                                        }));
        assertTrue(
                String.valueOf(live.getCause().getMessage()).contains("serverA/base is LIVE"),
                String.valueOf(live.getCause()));

        String[] outcomes =
                (String[])
                        server.invoke(
                                name,
                                "forceTakeover",
                                new Object[] {"serverA", "base"},
                                new String[] {String.class.getName(), String.class.getName()});
        assertTrue(
                Arrays.asList(outcomes).contains("takeover-a: started"), Arrays.toString(outcomes));
        assertEquals(1, ((String[]) server.getAttribute(name, "TakenOver")).length);
        log().await(1, field("event", "operator"), "requested by jmx local");
    }

    @Test
    void healthAndMetricsFollowTheMonitors() throws Exception {
        FakeLiveHost a = beatingHost("serverA");
        awaitMetric("hotbackup_monitor_state{config=\"base\",host=\"serverA\"} 1.0");
        String health = Http.get(OBSERVE + "health?data=true").body();
        assertTrue(health.contains("\"name\":\"hotbackup\""), health);
        assertTrue(health.contains("\"monitor.serverA\\/base\":\"LIVE, heard "), health);

        a.crash();
        awaitState("serverA", MonitorState.DEAD);
        awaitMetric("hotbackup_monitor_state{config=\"base\",host=\"serverA\"} 2.0");
        String metrics = Http.get(OBSERVE + "metrics").body();
        assertTrue(metrics.contains("hotbackup_signals_total{state=\"DEAD\"} 1.0"), metrics);
        assertTrue(metrics.contains("hotbackup_frames_accepted_total"), metrics);
        assertTrue(metrics.contains("hotbackup_frames_waiting 0.0"), metrics);
        assertTrue(
                metrics.contains("hotbackup_frames_rejected_total{reason=\"bad-signature\"} 0.0"),
                metrics);
        assertTrue(
                metrics.contains(
                        "hotbackup_heartbeat_age_seconds{config=\"base\",host=\"serverA\"}"),
                metrics);
        eventually(
                () ->
                        Http.get(OBSERVE + "metrics")
                                .body()
                                .contains(
                                        "hotbackup_route_control_seconds_count{action=\"takeover\"} 1"));
    }

    private static String body(MimeMessage m) {
        try {
            return String.valueOf(m.getContent());
        } catch (Exception e) {
            return "";
        }
    }

    /** Waits until /observe/metrics has a line starting with {@code line}. */
    private void awaitMetric(String line) {
        log().until(
                        "metrics to show " + line,
                        Duration.ofSeconds(10),
                        () -> Http.get(OBSERVE + "metrics").body().contains(line));
    }
}
