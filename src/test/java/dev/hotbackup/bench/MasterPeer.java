package dev.hotbackup.bench;

import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.LambdaRouteBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The benchmark's peer: Camel's own failover. A master: route on a FileLockClusterService over a
 * shared folder runs the same file route as camel-hot-backup's takeover route, on whichever member
 * holds the lock. Prints LEADER when it becomes the leader.
 *
 * <p>The routes are a lambda, not a RouteBuilder subclass: route tests scan dev.hotbackup for
 * RouteBuilder classes and would try to instantiate one here.
 *
 * <p>Arguments: lock folder, files folder, acquireLockInterval (ms), heartbeatTimeoutMultiplier,
 * acquireLockDelay (ms).
 */
public final class MasterPeer {

    private MasterPeer() {}

    public static void main(String[] args) throws Exception {
        String root = args[0];
        String files = args[1];
        FileLockClusterService cluster = new FileLockClusterService();
        cluster.setRoot(root);
        cluster.setAcquireLockInterval(Long.parseLong(args[2]), TimeUnit.MILLISECONDS);
        cluster.setHeartbeatTimeoutMultiplier(Integer.parseInt(args[3]));
        // Camel refuses 0: "acquireLockDelay must be greater than 0"
        cluster.setAcquireLockDelay(Math.max(1, Long.parseLong(args[4])), TimeUnit.MILLISECONDS);
        run(
                cluster,
                rb -> {
                    rb.from(
                                    "master:bench:file:"
                                            + files
                                            + "/inbox?include=trial-.*\\.txt&initialDelay=0&delay=20&delete=true")
                            .routeId("bench-takeover")
                            .setBody(rb.simple(FailoverSubject.STAMP))
                            .to("file:" + files + "/out?tempPrefix=.tmp-");
                    rb.from("master:bench:timer:leader?repeatCount=1&delay=0")
                            .routeId("leader")
                            .log("LEADER");
                });
    }

    /** Runs a Camel main with {@code cluster} as its cluster service and {@code routes}. */
    static void run(CamelClusterService cluster, LambdaRouteBuilder routes) throws Exception {
        Main main = new Main();
        main.configure().setRoutesCollectorEnabled(false);
        main.addMainListener(
                new MainListenerSupport() {
                    @Override
                    public void afterConfigure(BaseMainSupport m) {
                        try {
                            m.getCamelContext().addService(cluster);
                            RouteBuilder.addRoutes(m.getCamelContext(), routes);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
        main.run();
    }
}
