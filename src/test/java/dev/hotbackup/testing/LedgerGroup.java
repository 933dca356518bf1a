package dev.hotbackup.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A group of members as processes of the packaged jar on loopback, all with the same group keys and
 * the same routes: one ledger route per member's work ({@code work-<member>}) and one for the
 * master ({@code importer}), each writing {@code ledger/<route>.txt} in the folder of whichever
 * member runs it ({@link Ledger}). Every member has HTTP on with {@link #TOKEN}.
 */
public final class LedgerGroup implements AutoCloseable {

    public static final String SECRET = "group-test-secret-0123456789";
    public static final String TOKEN = "group-test-token-0123456789";
    public static final String MASTER_ROUTE = "importer";

    public final Map<String, HotBackupProcess> members = new LinkedHashMap<>();
    private final Map<String, Integer> httpPorts = new LinkedHashMap<>();

    /**
     * @param hosts the members, in preference order
     * @param keys further keys set on every member (the arbiter's, the mode, ...)
     */
    public LedgerGroup(Path work, List<String> hosts, Map<String, String> keys, Duration lease)
            throws Exception {
        this(work, null, hosts, keys, lease);
    }

    /**
     * @param net a test network with a host of each member's name, or {@code null} for loopback
     */
    public LedgerGroup(
            Path work, Netns net, List<String> hosts, Map<String, String> keys, Duration lease)
            throws Exception {
        List<String> list = new ArrayList<>();
        for (String h : hosts) {
            list.add(
                    net == null
                            ? h + "@127.0.0.1:" + FreePorts.next()
                            : h + "@" + net.host(h).address() + ":7101");
        }
        StringBuilder routes = new StringBuilder();
        for (String h : hosts) {
            routes.append(Ledger.routeYaml("work-" + h));
        }
        routes.append(Ledger.routeYaml(MASTER_ROUTE));
        for (String h : hosts) {
            int http = FreePorts.next();
            httpPorts.put(h, http);
            HotBackupProcess p =
                    new HotBackupProcess(h, work.resolve(h), HotBackupProcess.packagedJar())
                            .set("hotbackup.group.hub.members", String.join(",", list))
                            .set("hotbackup.group.hub.master-routes", MASTER_ROUTE)
                            .set("hotbackup.secret", SECRET)
                            .set(
                                    "hotbackup.listener.bind-address",
                                    net == null ? "127.0.0.1" : net.host(h).address())
                            .set("hotbackup.listener.threshold", "1s")
                            .set("hotbackup.listener.probe-timeout", "200ms")
                            .set("hotbackup.arbiter.lease", lease.toMillis() + "ms")
                            .set("hotbackup.http.enabled", "true")
                            .set("hotbackup.http.port", http)
                            .set("hotbackup.http.bind-address", "127.0.0.1")
                            .set("hotbackup.http.observe-port", FreePorts.next())
                            .set("hotbackup.http.token", TOKEN);
            for (String m : hosts) {
                p.set("hotbackup.group.hub.routes." + m, "work-" + m);
            }
            if (net != null) {
                p.inNamespace(net.host(h))
                        .set("hotbackup.probe.port", "7102")
                        .set("hotbackup.http.bind-address", net.host(h).address());
            }
            keys.forEach(p::set);
            Files.writeString(
                    p.dir().resolve("routes").resolve("ledger.camel.yaml"),
                    routes.toString(),
                    StandardCharsets.UTF_8);
            members.put(h, p);
        }
    }

    /**
     * Every ledger route writes every {@code millis} instead of every 20 ms (before {@link
     * #startAll}): for measuring what the group itself costs.
     */
    public LedgerGroup ledgerPeriod(int millis) throws IOException {
        for (HotBackupProcess p : members.values()) {
            Path f = p.dir().resolve("routes").resolve("ledger.camel.yaml");
            Files.writeString(
                    f,
                    Files.readString(f, StandardCharsets.UTF_8)
                            .replace("period: 20\n", "period: " + millis + "\n"),
                    StandardCharsets.UTF_8);
        }
        return this;
    }

    public HotBackupProcess member(String host) {
        return members.get(host);
    }

    /** The status API of a member. */
    public String statusUrl(String host) {
        return "http://127.0.0.1:" + httpPorts.get(host) + "/hotbackup/status";
    }

    /** A member's move API. */
    public String moveUrl(String host, String query) {
        return "http://127.0.0.1:" + httpPorts.get(host) + "/hotbackup/groups/hub/move?" + query;
    }

    /** The ledger of one route, across every member's folder. */
    public List<Ledger.Line> lines(String route) throws Exception {
        return Ledger.read(
                route, members.values().stream().map(HotBackupProcess::dir).toArray(Path[]::new));
    }

    /** Every route: each member's work, then the master's. */
    public List<String> routes() {
        List<String> out = new ArrayList<>();
        members.keySet().forEach(h -> out.add("work-" + h));
        out.add(MASTER_ROUTE);
        return out;
    }

    /**
     * Never two at once, for every route: its runs' epochs never go down, and go up whenever the
     * member changes.
     */
    public void assertOneAtATime() throws Exception {
        for (String r : routes()) {
            String problem = Ledger.problem(Ledger.segments(lines(r)));
            if (problem != null) {
                throw new AssertionError(r + ": " + problem + "\n" + tails());
            }
        }
    }

    /**
     * Waits until {@code route} is run by {@code host} alone: its lines of the last half second are
     * all {@code host}'s, after {@code since} (wall clock, ms).
     */
    public void awaitRunBy(String route, String host, long since, Duration max) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        List<Ledger.Line> lines = List.of();
        while (System.nanoTime() < end) {
            lines = lines(route);
            if (Ledger.onlyBy(lines, host, since, System.currentTimeMillis())) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError(
                route
                        + " is not run by "
                        + host
                        + " alone within "
                        + max
                        + "; runs: "
                        + Ledger.segments(lines)
                        + "\n"
                        + tails());
    }

    /** Who ran {@code route} last (its newest ledger line), or {@code null}. */
    public String lastRunBy(String route) throws Exception {
        List<Ledger.Line> l = lines(route);
        return l.isEmpty() ? null : l.get(l.size() - 1).host();
    }

    /**
     * Starts the first member alone and waits until it runs its own work and the master's route,
     * then starts the others: the master is then the first member, whatever the machine's load.
     * (Started all at once, a member whose start is slow is DEAD to the others after the threshold,
     * and the master role goes, and stays, with whoever was up: no preemption.)
     */
    public LedgerGroup startFirstThenOthers(Duration max) throws Exception {
        String first = members.keySet().iterator().next();
        long t0 = System.currentTimeMillis();
        member(first).start().awaitStarted();
        awaitRunBy("work-" + first, first, t0, max);
        awaitRunBy(MASTER_ROUTE, first, t0, max);
        for (HotBackupProcess p : members.values()) {
            if (!p.name().equals(first)) {
                p.start();
            }
        }
        for (HotBackupProcess p : members.values()) {
            p.awaitStarted();
        }
        return this;
    }

    public LedgerGroup startAll() throws Exception {
        for (HotBackupProcess p : members.values()) {
            p.start();
        }
        for (HotBackupProcess p : members.values()) {
            p.awaitStarted();
        }
        return this;
    }

    /** The last lines every member printed, for a failure message. */
    public String tails() {
        StringBuilder out = new StringBuilder();
        for (HotBackupProcess p : members.values()) {
            out.append("--- ").append(p.name()).append(":\n");
            try {
                List<String> l = p.output().lines().toList();
                out.append(String.join("\n", l.subList(Math.max(0, l.size() - 30), l.size())));
            } catch (Exception e) {
                out.append(e);
            }
            out.append('\n');
        }
        return out.toString();
    }

    @Override
    public void close() throws Exception {
        for (HotBackupProcess p : members.values()) {
            p.close();
        }
    }
}
