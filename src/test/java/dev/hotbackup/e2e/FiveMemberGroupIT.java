package dev.hotbackup.e2e;

import dev.hotbackup.testing.LedgerGroup;
import dev.hotbackup.testing.Netns;
import dev.hotbackup.testing.ZooKeeperServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An active-active group of five, each member on a host of its own (network namespaces on a bridge)
 * and a ZooKeeper server on a sixth: the master and another member killed at once, then the member
 * that took their work cut off from everyone (the arbiter too), then healed. Every route is run by
 * one member at a time throughout (the ledgers' epochs prove it): each dead member's work by one
 * survivor, the cut-off member fenced before its work runs elsewhere, and back home once healed.
 */
class FiveMemberGroupIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> MEMBERS = List.of("m1", "m2", "m3", "m4", "m5");

    @TempDir Path tmp;
    Netns net;
    ZooKeeperServer zk;

    @AfterEach
    void cleanUp() throws Exception {
        if (zk != null) {
            zk.close();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void twoKilledAtOnceThenOneCutOff() throws Exception {
        net = Netns.create("m1", "m2", "m3", "m4", "m5", "zk");
        zk = ZooKeeperServer.start(tmp.resolve("zk"), net.host("zk"), 2181);
        Map<String, String> keys =
                Map.of(
                        "hotbackup.arbiter", "zookeeper",
                        "hotbackup.arbiter.zookeeper.connect", zk.connect(),
                        "hotbackup.takeover.failback-delay", "1s");
        try (LedgerGroup g = new LedgerGroup(tmp, net, MEMBERS, keys, Duration.ofSeconds(2))) {
            g.startFirstThenOthers(WAIT);
            long t0 = System.currentTimeMillis();
            for (String m : MEMBERS) {
                g.awaitRunBy("work-" + m, m, t0, WAIT);
            }
            g.awaitRunBy(LedgerGroup.MASTER_ROUTE, "m1", t0, WAIT);

            // the master and m2 die at once: m3, first live by preference, runs both and is master
            g.member("m1").kill();
            g.member("m2").kill();
            long t1 = System.currentTimeMillis();
            g.awaitRunBy("work-m1", "m3", t1, WAIT);
            g.awaitRunBy("work-m2", "m3", t1, WAIT);
            g.awaitRunBy(LedgerGroup.MASTER_ROUTE, "m3", t1, WAIT);
            g.awaitRunBy("work-m4", "m4", t1, WAIT);
            g.awaitRunBy("work-m5", "m5", t1, WAIT);

            // m3 cut off from everyone, ZooKeeper too: it fences; m4 runs everything m3 ran
            net.cutOff("m3");
            long t2 = System.currentTimeMillis();
            try {
                for (String r :
                        List.of("work-m1", "work-m2", "work-m3", LedgerGroup.MASTER_ROUTE)) {
                    g.awaitRunBy(r, "m4", t2, WAIT);
                }
            } finally {
                net.heal();
            }
            // healed: m3 gets its own work back; what it took over stays where it is now
            long t3 = System.currentTimeMillis();
            g.awaitRunBy("work-m3", "m3", t3, WAIT);
            g.awaitRunBy("work-m1", "m4", t3, WAIT);
            g.awaitRunBy(LedgerGroup.MASTER_ROUTE, "m4", t3, WAIT);
            g.assertOneAtATime();
        }
    }
}
