package dev.hotbackup.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small network of test hosts: one network namespace per host, each with a veth pair whose other
 * end is a port of a bridge in a namespace of its own, on a /24 only these hosts use. Partitions
 * drop frames silently, as a cut cable or a dead switch port would, and heal:
 *
 * <ul>
 *   <li>{@link #cutOff}: the host's bridge port leaves the bridge: it reaches no one, no one
 *       reaches it, and its own link stays up;
 *   <li>{@link #cutBetween}: two hosts' ports are isolated from each other (a bridge port flag),
 *       both still reach every other host;
 *   <li>{@link #heal}: every port back on the bridge, no isolation.
 * </ul>
 *
 * Needs root (CI runs as root); a machine where namespaces cannot be made fails the test with the
 * reason. {@link #close()} deletes every namespace, also when a test fails, and a shutdown hook
 * does it if the JVM ends first.
 */
public final class Netns implements AutoCloseable {

    /** One test host: its namespace and address. */
    public record Host(String name, String namespace, String port, String address) {
        /** The command prefix that runs a program on this host. */
        public List<String> exec() {
            return List.of("ip", "netns", "exec", namespace);
        }
    }

    private static final Path ETC_NETNS = Path.of("/etc/netns");

    private final String id;
    private final String subnet;
    private final String switchNs;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Thread hook;
    private boolean closed;
    private boolean madeEtcNetns;

    private Netns(String id, String subnet) {
        this.id = id;
        this.subnet = subnet;
        this.switchNs = id + "-sw";
        this.hook = new Thread(this::deleteQuietly, "netns-cleanup-" + id);
    }

    /**
     * Creates the namespaces and the bridge, and one host per name (addresses .1, .2, ... in
     * order).
     */
    public static Netns create(String... names) throws Exception {
        byte[] r = new byte[2];
        new SecureRandom().nextBytes(r);
        String id = "hb" + HexFormat.of().formatHex(r);
        // 10.231.0.0/16 is kept for these tests; the third byte tells concurrent runs apart
        Netns n = new Netns(id, "10.231." + (r[0] & 0xff) + ".");
        Runtime.getRuntime().addShutdownHook(n.hook);
        try {
            Command.run("ip", "netns", "add", n.switchNs);
            Command.run("ip", "-n", n.switchNs, "link", "add", "br0", "type", "bridge");
            Command.run("ip", "-n", n.switchNs, "link", "set", "br0", "up");
            int i = 1;
            for (String name : names) {
                n.addHost(name, i++);
            }
            return n;
        } catch (Exception | Error e) {
            n.close();
            throw new IllegalStateException(
                    "cannot build the test network (ip netns, veth, bridge; needs root and"
                            + " iproute2): "
                            + e.getMessage(),
                    e);
        }
    }

    private void addHost(String name, int i) throws Exception {
        String ns = id + "-" + name;
        String port = id + "-" + i;
        String address = subnet + i;
        Command.run("ip", "netns", "add", ns);
        Command.run("ip", "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
        Command.run("ip", "link", "set", port, "netns", switchNs);
        Command.run("ip", "-n", switchNs, "link", "set", port, "master", "br0", "up");
        Command.run("ip", "-n", ns, "addr", "add", address + "/24", "dev", "eth0");
        Command.run("ip", "-n", ns, "link", "set", "eth0", "up");
        Command.run("ip", "-n", ns, "link", "set", "lo", "up");
        hosts.put(name, new Host(name, ns, port, address));
    }

    public Host host(String name) {
        Host h = hosts.get(name);
        if (h == null) {
            throw new IllegalArgumentException("no host " + name + " in " + hosts.keySet());
        }
        return h;
    }

    /** The host reaches no one and no one reaches it. */
    public void cutOff(String name) throws Exception {
        Command.run("ip", "-n", switchNs, "link", "set", host(name).port(), "nomaster");
    }

    /** The two hosts no longer reach each other; both still reach every other host. */
    public void cutBetween(String a, String b) throws Exception {
        Command.run(
                "bridge", "-n", switchNs, "link", "set", "dev", host(a).port(), "isolated", "on");
        Command.run(
                "bridge", "-n", switchNs, "link", "set", "dev", host(b).port(), "isolated", "on");
    }

    /** Every host reaches every other again. */
    public void heal() throws Exception {
        for (Host h : hosts.values()) {
            Command.run("ip", "-n", switchNs, "link", "set", h.port(), "master", "br0", "up");
            Command.run(
                    "bridge", "-n", switchNs, "link", "set", "dev", h.port(), "isolated", "off");
        }
    }

    /**
     * The host's name service becomes an address of the test network that nobody answers from:
     * looking up a name that is not in /etc/hosts waits about six seconds (two tries of four, the
     * first cut short when the address cannot be found on the network) and fails. Written to
     * /etc/netns/NAMESPACE/resolv.conf, which {@code ip netns exec} puts in place of
     * /etc/resolv.conf for the programs it runs; {@link #close()} removes it.
     */
    public void nameServiceThatDoesNotAnswer(String name) throws IOException {
        Path dir = ETC_NETNS.resolve(host(name).namespace());
        madeEtcNetns |= !Files.isDirectory(ETC_NETNS);
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("resolv.conf"),
                "nameserver " + subnet + "250\noptions timeout:4 attempts:2\n");
    }

    @Override
    public void close() {
        deleteQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down
        }
    }

    private synchronized void deleteQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> all = new ArrayList<>();
        hosts.values().forEach(h -> all.add(h.namespace()));
        all.add(switchNs);
        for (String ns : all) {
            try {
                // processes still inside keep it alive; the tests close theirs first
                Command.run("ip", "netns", "del", ns);
            } catch (Exception e) {
                // already gone, or never made
            }
            Path etc = ETC_NETNS.resolve(ns);
            try {
                Files.deleteIfExists(etc.resolve("resolv.conf"));
                Files.deleteIfExists(etc);
            } catch (IOException e) {
                // not ours, or already gone
            }
        }
        try {
            if (madeEtcNetns) {
                Files.deleteIfExists(ETC_NETNS);
            }
        } catch (IOException othersStillThere) {
            // other namespaces' files: left to them
        }
    }
}
