package dev.hotbackup.arbiter.zookeeper;

import dev.hotbackup.arbiter.Arbiter;
import dev.hotbackup.arbiter.ArbiterSetupException;
import dev.hotbackup.arbiter.Attempt;
import dev.hotbackup.arbiter.Holder;
import dev.hotbackup.arbiter.LeaseRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases in a ZooKeeper ensemble, through Apache Curator: a lease is an ephemeral node that lives
 * as long as its holder's session, next to a persistent counter node whose value is the epoch. A
 * grant creates the ephemeral node and raises the counter in one transaction, so epochs come from
 * ZooKeeper itself and strictly increase. As Curator's notes advise, a SUSPENDED connection counts
 * as loss at once; after RECONNECTED a lease is used again only if its node is still owned by this
 * very session.
 */
public final class ZooKeeperArbiter implements Arbiter {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperArbiter.class);

    public static final String CONNECT_KEY = "hotbackup.arbiter.zookeeper.connect";

    private final String connect;
    private final String base;
    private final String notesBase;
    private final int sessionMillis;
    private final int timeoutMillis;
    private CuratorFramework client;
    private volatile Consumer<String> doubt = why -> {};

    /**
     * @param base the base path, such as {@code /hotbackup}
     * @param timeoutMillis how long one call may wait for the ensemble
     */
    public ZooKeeperArbiter(String connect, String base, long sessionMillis, long timeoutMillis) {
        this.connect = connect;
        this.base = base + "/leases";
        this.notesBase = base + "/notes";
        this.sessionMillis = (int) sessionMillis;
        this.timeoutMillis = (int) Math.max(100, timeoutMillis);
    }

    @Override
    public String describe() {
        return "zookeeper " + connect + base.substring(0, base.length() - "/leases".length());
    }

    @Override
    public String start() throws ArbiterSetupException {
        try {
            client =
                    CuratorFrameworkFactory.builder()
                            .connectString(connect)
                            .sessionTimeoutMs(sessionMillis)
                            .connectionTimeoutMs(timeoutMillis)
                            .retryPolicy(new RetryNTimes(0, 0))
                            .build();
        } catch (RuntimeException e) {
            throw new ArbiterSetupException(CONNECT_KEY, "'" + connect + "': " + message(e));
        }
        client.getConnectionStateListenable().addListener((c, state) -> stateChanged(state));
        try {
            client.start();
        } catch (RuntimeException e) {
            throw new ArbiterSetupException(CONNECT_KEY, "'" + connect + "': " + message(e));
        }
        try {
            if (!client.blockUntilConnected(timeoutMillis, TimeUnit.MILLISECONDS)) {
                return "no ZooKeeper server of "
                        + connect
                        + " answered within "
                        + timeoutMillis
                        + " ms";
            }
            client.create()
                    .orSetData()
                    .creatingParentsIfNeeded()
                    .forPath(base + "/.version", "1".getBytes(StandardCharsets.US_ASCII));
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (KeeperException.NoAuthException e) {
            throw new ArbiterSetupException(
                    CONNECT_KEY, "not allowed to write " + base + ": " + message(e));
        } catch (Exception e) {
            return message(e);
        }
    }

    private void stateChanged(ConnectionState state) {
        switch (state) {
            case SUSPENDED, LOST -> {
                LOG.warn(
                        "ZooKeeper connection {}: every lease held through it counts as lost",
                        state);
                doubt.accept("ZooKeeper connection " + state);
            }
            case RECONNECTED ->
                    LOG.info("ZooKeeper connection RECONNECTED: leases are asked for again");
            default -> {
                // CONNECTED, READ_ONLY
            }
        }
    }

    @Override
    public void onDoubt(Consumer<String> doubt) {
        this.doubt = doubt;
    }

    /** The session timeout the ensemble granted, once connected; else the configured one. */
    @Override
    public long leaseMillis(long configured) {
        try {
            if (client != null && client.getZookeeperClient().isConnected()) {
                return client.getZookeeperClient().getZooKeeper().getSessionTimeout();
            }
        } catch (Exception e) {
            // not connected
        }
        return configured;
    }

    /** Notes are persistent nodes under {@code <base-path>/notes}, one per name. */
    @Override
    public Map<String, String> notes(String prefix) throws Exception {
        if (!connected()) {
            throw new IllegalStateException("not connected to ZooKeeper " + connect);
        }
        Map<String, String> out = new java.util.TreeMap<>();
        List<String> children;
        try {
            children = client.getChildren().forPath(notesBase);
        } catch (KeeperException.NoNodeException e) {
            return out;
        }
        for (String child : children) {
            String name = key(child);
            if (name.startsWith(prefix)) {
                try {
                    out.put(
                            name,
                            new String(
                                    client.getData().forPath(notesBase + "/" + child),
                                    StandardCharsets.UTF_8));
                } catch (KeeperException.NoNodeException gone) {
                    // removed meanwhile
                }
            }
        }
        return out;
    }

    @Override
    public void note(String name, String value) throws Exception {
        if (!connected()) {
            throw new IllegalStateException("not connected to ZooKeeper " + connect);
        }
        String path = notesBase + node(name).substring(base.length());
        if (value == null) {
            try {
                client.delete().forPath(path);
            } catch (KeeperException.NoNodeException gone) {
                // nothing to remove
            }
            return;
        }
        byte[] data = value.getBytes(StandardCharsets.UTF_8);
        try {
            client.setData().forPath(path, data);
        } catch (KeeperException.NoNodeException e) {
            client.create().creatingParentsIfNeeded().forPath(path, data);
        }
    }

    private String node(String key) {
        StringBuilder name = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '_' || c == '-') {
                name.append(c);
            } else {
                name.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return base + "/" + name;
    }

    private static String key(String node) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < node.length(); i++) {
            char c = node.charAt(i);
            if (c == '%' && i + 2 < node.length()) {
                out.write(Integer.parseInt(node.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private boolean connected() {
        return client != null && client.getZookeeperClient().isConnected();
    }

    private long session() throws Exception {
        return client.getZookeeperClient().getZooKeeper().getSessionId();
    }

    @Override
    public Attempt acquire(String key, Holder me, long leaseMillis) {
        if (!connected()) {
            return new Attempt.Unreachable("not connected to ZooKeeper " + connect);
        }
        String counter = node(key);
        String holder = counter + "/holder";
        try {
            for (int round = 0; round < 3; round++) {
                Stat hs = new Stat();
                try {
                    byte[] data = client.getData().storingStatIn(hs).forPath(holder);
                    Record r = Record.parse(data);
                    if (hs.getEphemeralOwner() == session() && r.holder().equals(me)) {
                        return new Attempt.Granted(r.epoch()); // still ours, this very session
                    }
                    return new Attempt.Held(new LeaseRecord(key, r.holder(), r.epoch(), -1));
                } catch (KeeperException.NoNodeException free) {
                    // nobody holds it
                }
                Stat cs = new Stat();
                byte[] current;
                try {
                    current = client.getData().storingStatIn(cs).forPath(counter);
                } catch (KeeperException.NoNodeException e) {
                    try {
                        client.create()
                                .creatingParentsIfNeeded()
                                .forPath(counter, new Record(new Holder("nobody", "-"), 0).bytes());
                    } catch (KeeperException.NodeExistsException raced) {
                        // created by another instance meanwhile
                    }
                    continue;
                }
                long epoch = Record.parse(current).epoch() + 1;
                byte[] mine = new Record(me, epoch).bytes();
                try {
                    client.transaction()
                            .forOperations(
                                    client.transactionOp()
                                            .setData()
                                            .withVersion(cs.getVersion())
                                            .forPath(counter, mine),
                                    client.transactionOp()
                                            .create()
                                            .withMode(CreateMode.EPHEMERAL)
                                            .forPath(holder, mine));
                    return new Attempt.Granted(epoch);
                } catch (KeeperException.NodeExistsException
                        | KeeperException.BadVersionException e) {
                    // another instance was granted it first: read who
                }
            }
            return new Attempt.Unreachable("the lease node changed three times while asked for");
        } catch (Exception e) {
            return new Attempt.Unreachable(message(e));
        }
    }

    /**
     * One round trip proves the session alive; the ephemeral nodes of a live session are ours until
     * we delete them, so each lease is checked against the session it was granted in.
     */
    @Override
    public Map<String, Attempt> renew(Map<String, Long> held, Holder me, long leaseMillis) {
        Map<String, Attempt> out = new LinkedHashMap<>();
        try {
            if (!connected()) {
                throw new IllegalStateException("not connected to ZooKeeper " + connect);
            }
            long session = session();
            for (Map.Entry<String, Long> h : held.entrySet()) {
                String holder = node(h.getKey()) + "/holder";
                Stat st = new Stat();
                try {
                    Record r = Record.parse(client.getData().storingStatIn(st).forPath(holder));
                    if (st.getEphemeralOwner() == session && r.epoch() == h.getValue()) {
                        out.put(h.getKey(), new Attempt.Granted(r.epoch()));
                    } else {
                        out.put(
                                h.getKey(),
                                new Attempt.Held(
                                        new LeaseRecord(h.getKey(), r.holder(), r.epoch(), -1)));
                    }
                } catch (KeeperException.NoNodeException gone) {
                    out.put(
                            h.getKey(),
                            new Attempt.Held(
                                    new LeaseRecord(
                                            h.getKey(),
                                            new Holder("nobody", "-"),
                                            h.getValue(),
                                            0)));
                }
            }
        } catch (Exception e) {
            Attempt u = new Attempt.Unreachable(message(e));
            held.keySet().forEach(k -> out.putIfAbsent(k, u));
        }
        return out;
    }

    @Override
    public void release(String key, Holder me, long epoch) throws Exception {
        if (!connected()) {
            return; // the session's end frees it
        }
        String holder = node(key) + "/holder";
        Stat st = new Stat();
        try {
            Record r = Record.parse(client.getData().storingStatIn(st).forPath(holder));
            if (st.getEphemeralOwner() == session() && r.epoch() == epoch) {
                client.delete().withVersion(st.getVersion()).forPath(holder);
            }
        } catch (KeeperException.NoNodeException gone) {
            // already free
        }
    }

    @Override
    public List<LeaseRecord> table() throws Exception {
        List<LeaseRecord> out = new ArrayList<>();
        if (!connected()) {
            throw new IllegalStateException("not connected to ZooKeeper " + connect);
        }
        for (String child : client.getChildren().forPath(base)) {
            if (child.startsWith(".")) {
                continue;
            }
            String counter = base + "/" + child;
            try {
                Record r = Record.parse(client.getData().forPath(counter + "/holder"));
                out.add(new LeaseRecord(key(child), r.holder(), r.epoch(), -1));
            } catch (KeeperException.NoNodeException free) {
                Record r = Record.parse(client.getData().forPath(counter));
                out.add(new LeaseRecord(key(child), r.holder(), r.epoch(), 0));
            }
        }
        out.sort((a, b) -> a.key().compareTo(b.key()));
        return out;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    /** What a lease node holds: the epoch and its holder, tab-separated. */
    private record Record(Holder holder, long epoch) {
        byte[] bytes() {
            return (epoch + "\t" + holder.host() + "\t" + holder.instance())
                    .getBytes(StandardCharsets.UTF_8);
        }

        static Record parse(byte[] data) {
            String[] f =
                    new String(data == null ? new byte[0] : data, StandardCharsets.UTF_8)
                            .split("\t");
            if (f.length < 3) {
                return new Record(new Holder("nobody", "-"), 0);
            }
            return new Record(new Holder(f[1], f[2]), Long.parseLong(f[0].trim()));
        }
    }

    private static String message(Throwable t) {
        String msg = t.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                msg = t.getMessage();
            }
        }
        return msg == null ? t.getClass().getSimpleName() : msg;
    }
}
