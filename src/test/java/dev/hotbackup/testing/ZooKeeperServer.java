package dev.hotbackup.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A standalone ZooKeeper server as a process of its own (tick 500 ms), on loopback or inside a test
 * host's network namespace, so that a partition can cut it off.
 */
public final class ZooKeeperServer implements AutoCloseable {

    private final JvmProcess process;
    private final String connect;

    private ZooKeeperServer(JvmProcess process, String connect) {
        this.process = process;
        this.connect = connect;
    }

    /**
     * Starts a server with its data under {@code dir}: in {@code host}'s namespace on port 2181, or
     * on loopback on {@code port} when {@code host} is null.
     */
    public static ZooKeeperServer start(Path dir, Netns.Host host, int port) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        JvmProcess p =
                JvmProcess.ofMain(
                        dir,
                        "zookeeper",
                        "org.apache.zookeeper.server.ZooKeeperServerMain",
                        Integer.toString(port),
                        data.toString(),
                        "500");
        if (host != null) {
            p.prefix(host.exec());
        }
        p.start();
        return new ZooKeeperServer(p, (host == null ? "127.0.0.1" : host.address()) + ":" + port);
    }

    /** {@code host:port}, for hotbackup.arbiter.zookeeper.connect. */
    public String connect() {
        return connect;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws Exception {
        process.close();
    }
}
