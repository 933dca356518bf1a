package dev.hotbackup.bench;

import java.util.concurrent.TimeUnit;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;

/**
 * The split-brain comparison's other side: what a Camel user would otherwise pick, a {@code
 * master:} route on Camel's own cluster service, writing the same ledger line per exchange as the
 * pack's partition tests ({@code time host 0}, to {@code ledger/ledger.txt} in the working folder).
 *
 * <p>Arguments: {@code file <lock folder> <host>} (FileLockClusterService, leader heartbeat every
 * 100 ms, stale after 2 missed ones) or {@code zookeeper <connect> <host> <session timeout ms>}
 * (ZooKeeperClusterService of camel-zookeeper).
 */
public final class LedgerMasterPeer {

    private LedgerMasterPeer() {}

    public static void main(String[] args) throws Exception {
        CamelClusterService cluster;
        if (args[0].equals("file")) {
            FileLockClusterService f = new FileLockClusterService();
            f.setRoot(args[1]);
            f.setAcquireLockInterval(100, TimeUnit.MILLISECONDS);
            f.setHeartbeatTimeoutMultiplier(2);
            f.setAcquireLockDelay(1, TimeUnit.MILLISECONDS);
            cluster = f;
        } else {
            ZooKeeperClusterService z = new ZooKeeperClusterService();
            z.setNodes(args[1]);
            z.setBasePath("/camel/cluster");
            long session = Long.parseLong(args[3]);
            z.setSessionTimeout(session);
            z.setConnectTimeout(Math.min(session, 2000));
            cluster = z;
        }
        String host = args[2];
        // the member's id: ZooKeeperClusterView hands it to Curator's LeaderSelector, which
        // refuses null
        cluster.setId(host);
        MasterPeer.run(
                cluster,
                rb ->
                        rb.from("master:ledger:timer:ledger?period=20")
                                .routeId("ledger")
                                .setBody(
                                        rb.simple(
                                                "${date:now:yyyy-MM-dd'T'HH:mm:ss.SSS} "
                                                        + host
                                                        + " 0${sys.line.separator}"))
                                .to("file:ledger?fileName=ledger.txt&fileExist=Append"));
    }
}
