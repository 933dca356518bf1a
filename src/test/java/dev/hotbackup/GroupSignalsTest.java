package dev.hotbackup;

import static dev.hotbackup.testing.ActivityLines.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.operate.JmxControl;
import dev.hotbackup.testing.FakeLiveHost;
import dev.hotbackup.testing.Http;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import org.junit.jupiter.api.Test;

/**
 * hostA as a member of samples/group-of-three's group (with hostB, a fake member on the real
 * protocol), running the sample's routes: signals of members carry group='hub', the sample's XPath
 * routes on /signal/@group react in YAML and XML alike, hostB's work runs here under its lease
 * while hostB is DEAD and stops when it is LIVE again, and the master's importer runs here.
 */
class GroupSignalsTest extends ListenerTestSupport {

    static final Path DIR = Path.of("target/group-signals-test/" + UUID.randomUUID());

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.host", "hostA");
        p.put(
                "hotbackup.group.hub.members",
                "hostA@127.0.0.1:" + LISTENER_PORT + ",hostB@127.0.0.1:" + SECOND_PORT);
        p.put("hotbackup.group.hub.routes.hostA", "orders-hostA");
        p.put("hotbackup.group.hub.routes.hostB", "orders-hostB");
        p.put("hotbackup.group.hub.master-routes", "importer");
        p.put("hotbackup.listener.bind-address", "127.0.0.1");
        p.put("hotbackup.secret", SECRET);
        p.put("hotbackup.arbiter", "file");
        p.put("hotbackup.arbiter.file.path", DIR.resolve("arbiter").toString());
        p.put("hotbackup.arbiter.lease", "2s");
        p.put("hotbackup.listener.signals-to", "seda:group-signals?multipleConsumers=true");
        p.put("shared.dir", DIR.resolve("shared").toString());
        p.put("out.dir", DIR.resolve("out").toString());
        p.put("alerts.dir", DIR.resolve("alerts").toString());
        p.put("hotbackup.takeover.routes", "");
        p.put(
                "camel.main.routes-include-pattern",
                "file:samples/group-of-three/routes/*.camel.yaml,"
                        + "file:samples/group-of-three/routes/*.xml");
    }

    private static List<String> alerts(String dsl) throws Exception {
        Path f = DIR.resolve("alerts").resolve(dsl + ".txt");
        return Files.exists(f) ? Files.readAllLines(f, StandardCharsets.UTF_8) : List.of();
    }

    @Test
    void membersSignalsCarryTheGroupAndItsWorkMovesUnderTheLease() throws Exception {
        eventually(() -> status("orders-hostA").isStarted());
        eventually(() -> status("importer").isStarted());
        FakeLiveHost b = beatingHost("hostB");
        // hostB is LIVE: its work is not run here (stopped again if a slow start let the member's
        // silence since the listener started count as DEAD first)
        eventually(() -> status("orders-hostB").isStopped());
        // by the processing map: hostA's own work and the master role run here, hostB's does not
        assertTrue(active("hostA").why().startsWith("work/hostA of group hub runs here"));
        assertTrue(active("hub").why().startsWith("master of group hub runs here"));
        // (the fake hostB holds no lease)
        eventually(
                () ->
                        active("hostB")
                                .why()
                                .equals("work/hostB of group hub runs on no member now"));
        assertEquals(404, active("hostC").status(), active("hostC").toString());
        eventually(() -> alerts("yaml").contains("group hub: hostB is LIVE"));
        eventually(() -> alerts("xml").contains("group hub: hostB is LIVE"));
        assertTrue(
                signalBodies()
                        .contains("<signal host='hostB' config='base' group='hub'>LIVE</signal>"),
                signalBodies().toString());

        b.crash();
        awaitState("hostB", MonitorState.DEAD);
        eventually(() -> status("orders-hostB").isStarted());
        eventually(() -> active("hostB").active());
        eventually(() -> alerts("yaml").contains("group hub: hostB is DEAD"));
        eventually(() -> alerts("xml").contains("group hub: hostB is DEAD"));
        eventually(
                () ->
                        Files.exists(DIR.resolve("out/orders-hostB.txt"))
                                && Files.readString(DIR.resolve("out/orders-hostB.txt"))
                                        .contains("hostA epoch "));
        assertEquals(
                1,
                log().matching("\"event\":\"group\"", "\"host\":\"hostB\"", "TAKEOVER").size(),
                log().lines().toString());

        eventually(
                () ->
                        Http.get("http://127.0.0.1:" + HTTP_PORT + "/hotbackup/status")
                                .body()
                                .contains("\"role\":\"member+master+takeover\""));

        beatsAgain(b);
        eventually(() -> status("orders-hostB").isStopped());
        assertTrue(status("orders-hostA").isStarted(), "hostA's own work keeps running");
        eventually(
                () ->
                        Http.get("http://127.0.0.1:" + HTTP_PORT + "/hotbackup/status")
                                .body()
                                .contains("\"role\":\"member+master\""));
    }

    @Test
    void jmxMovesWorkAndPrometheusShowsTheGroup() throws Exception {
        FakeLiveHost b = beatingHost("hostB");
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(JmxControl.NAME);
        String[] two = {String.class.getName(), String.class.getName()};
        // hostB is LIVE, but an operator wants its work here
        String done =
                (String) server.invoke(name, "moveWork", new Object[] {"hostB", "hostA"}, two);
        assertEquals("hostB's work moved to hostA, requested by jmx local", done);
        eventually(() -> status("orders-hostB").isStarted());
        log().await(1, field("event", "group-move"), "requested by jmx local");
        eventually(
                () ->
                        Arrays.stream((String[]) server.getAttribute(name, "ProcessingMap"))
                                .anyMatch(
                                        l ->
                                                l.startsWith("work/hostB on hostA (epoch ")
                                                        && l.endsWith("), moved to hostA")));

        String metrics = "http://127.0.0.1:" + OBSERVE_PORT + "/observe/metrics";
        eventually(
                () -> {
                    String m = Http.get(metrics).body();
                    return m.contains(
                                    "hotbackup_group_member_up{group=\"hub\",member=\"hostB\"} 1.0")
                            && m.contains(
                                    "hotbackup_group_master{group=\"hub\",member=\"hostA\"} 1.0")
                            && m.contains(
                                    "hotbackup_group_unit_owner{group=\"hub\",member=\"hostA\",unit=\"work/hostB\"} 1.0");
                });

        String health = "http://127.0.0.1:" + OBSERVE_PORT + "/observe/health?data=true";
        eventually(
                () ->
                        Http.get(health)
                                .body()
                                .contains("\"group.work\\/hostB\":\"runs here, epoch "));
        assertTrue(Http.get(health).body().contains("\"status\":\"UP\""), Http.get(health).body());

        // a move to a member that is not alive is refused; back home is always possible
        b.crash();
        awaitState("hostB", MonitorState.DEAD);
        RuntimeMBeanException refused =
                assertThrows(
                        RuntimeMBeanException.class,
                        () -> server.invoke(name, "moveMaster", new Object[] {"hostB"}, one()));
        assertTrue(
                String.valueOf(refused.getCause().getMessage()).contains("hostB is not alive here"),
                String.valueOf(refused.getCause()));
        beatsAgain(b);
        server.invoke(name, "moveWork", new Object[] {"hostB", "hostB"}, two);
        eventually(() -> status("orders-hostB").isStopped());
    }

    private static String[] one() {
        return new String[] {String.class.getName()};
    }
}
