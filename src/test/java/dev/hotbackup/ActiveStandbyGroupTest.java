package dev.hotbackup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * hostB as the second member by preference of an active-standby group whose first, hostA, is a fake
 * member on the real protocol (it heartbeats but holds no lease): hostB stands by while hostA
 * lives, becomes master and runs the group's routes when hostA dies, and, with preempt, hands the
 * master role back once hostA has been LIVE for the failback delay.
 */
class ActiveStandbyGroupTest extends ListenerTestSupport {

    static final Path DIR = Path.of("target/active-standby-test/" + UUID.randomUUID());

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.host", "hostB");
        p.put(
                "hotbackup.group.edge.members",
                "hostA@127.0.0.1:" + SECOND_PORT + ",hostB@127.0.0.1:" + LISTENER_PORT);
        p.put("hotbackup.group.edge.mode", "active-standby");
        p.put("hotbackup.group.edge.master-routes", "takeover-a,takeover-b");
        p.put("hotbackup.group.edge.preempt", "true");
        p.put("hotbackup.takeover.failback-delay", "1s");
        p.put("hotbackup.takeover.routes", "");
        p.put("hotbackup.arbiter", "file");
        p.put("hotbackup.arbiter.file.path", DIR.resolve("arbiter").toString());
        p.put("hotbackup.arbiter.lease", "2s");
    }

    @Test
    void theStandbyBecomesMasterWhenTheMasterDiesAndHandsTheRoleBack() throws Exception {
        FakeLiveHost a = beatingHost("hostA");
        // hostA is first by preference and alive: hostB stands by
        log().holds(
                        "hostB to stand by while hostA lives",
                        java.time.Duration.ofSeconds(1),
                        java.time.Duration.ofSeconds(5),
                        () -> status("takeover-a").isStopped());
        // active-standby: a member's name stands for the master role, not run here (the fake
        // hostA holds no lease)
        assertTrue(
                active("hostB").why().equals("master of group edge runs on no member now"),
                active("hostB").toString());
        a.crash();
        awaitState("hostA", MonitorState.DEAD);
        eventually(() -> status("takeover-a").isStarted() && status("takeover-b").isStarted());
        eventually(() -> active("hostA").active() && active("edge").active());
        assertTrue(
                !log().matching("\"event\":\"group\"", "\"state\":\"MASTER\"").isEmpty(),
                log().lines().toString());
        // the signal carries the group
        assertTrue(
                signalBodies()
                        .contains("<signal host='hostA' config='base' group='edge'>DEAD</signal>"),
                signalBodies().toString());

        beatsAgain(a);
        // preempt: once hostA has been LIVE for 1 s, hostB gives the master role back
        eventually(() -> status("takeover-a").isStopped() && status("takeover-b").isStopped());
        assertTrue(
                !log().matching("\"event\":\"group\"", "\"state\":\"RELEASE\"", "over to hostA")
                        .isEmpty(),
                log().lines().toString());
    }
}
