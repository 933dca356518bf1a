package dev.hotbackup.bench;

import dev.hotbackup.monitor.MonitorRegistry;
import dev.hotbackup.testing.HotBackupProcess;
import dev.hotbackup.testing.Ledger;
import dev.hotbackup.testing.LedgerGroup;
import dev.hotbackup.testing.Netns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The benchmark's groups section: SIGKILL of a member to its work's first exchange on a survivor,
 * and SIGKILL of the master to the master route's first exchange elsewhere, for groups of 2, 3 and
 * 5 (lock files, where a dead member's lock is freed at once, and jdbc on PostgreSQL at the default
 * lease); and what the mesh costs: CPU and bytes on the wire per member of a group of 5
 * heartbeating at the default interval, each member on a host of its own (network namespaces).
 */
final class GroupBench extends BenchSection {

    /** The mesh's cost, per member of a group of {@code members}. */
    record Mesh(
            int members, double cpuPercent, double bytesOutPerSecond, double packetsOutPerSecond) {}

    GroupBench(Benchmark.Results results, Path work, boolean quick, Consumer<String> say) {
        super(results, work, quick, say);
    }

    /** The parts to run: {@code -Dbench.group.parts=kill,mesh} (both by default). */
    @Override
    void run() throws Exception {
        List<String> parts = parts("group", "kill,mesh");
        if (parts.contains("kill")) {
            kill("file", quick ? 3 : 10);
            kill("jdbc", quick ? 2 : 5);
        }
        if (parts.contains("mesh")) {
            mesh();
        }
    }

    private static List<String> members(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add("m" + i);
        }
        return out;
    }

    private void kill(String kind, int trials) throws Exception {
        for (int n : List.of(2, 3, 5)) {
            Path d = work.resolve("group-kill-" + kind + "-" + n);
            List<String> hosts = members(n);
            List<Long> member = new ArrayList<>();
            List<Long> master = new ArrayList<>();
            try (ArbiterBench.Env env = ArbiterBench.Env.loopback(kind, d.resolve("arbiter"))) {
                Map<String, String> keys = new HashMap<>(env.props());
                keys.put("hotbackup.listener.threshold", "2s");
                try (LedgerGroup g = new LedgerGroup(d, hosts, keys, ArbiterBench.LEASE)) {
                    g.startAll();
                    long t = System.currentTimeMillis();
                    for (String h : hosts) {
                        g.awaitRunBy("work-" + h, h, t, Duration.ofSeconds(60));
                    }
                    // every member verified every other's probe port, so a killed process is
                    // seen at once (as in the failover section)
                    for (String h : hosts) {
                        for (String o : hosts) {
                            if (!o.equals(h)) {
                                g.member(o)
                                        .activity()
                                        .awaitAtLeast(
                                                1,
                                                Duration.ofSeconds(30),
                                                "\"host\":\"" + h + "\"",
                                                MonitorRegistry.VERIFIED);
                            }
                        }
                    }
                    String victim = hosts.get(n - 1);
                    for (int i = 0; i < trials; i++) {
                        member.add(killAndTime(g, victim, "work-" + victim));
                        String m = g.lastRunBy(LedgerGroup.MASTER_ROUTE);
                        master.add(killAndTime(g, m, LedgerGroup.MASTER_ROUTE));
                        say.accept(
                                String.format(
                                        Locale.ROOT,
                                        "  %s, group of %d, trial %d: member %d ms, master %d ms",
                                        kind,
                                        n,
                                        i + 1,
                                        member.get(i),
                                        master.get(i)));
                    }
                }
            }
            results.groupKill.put(kind + ", " + n + " members: a member's work", member);
            results.groupKill.put(kind + ", " + n + " members: the master role", master);
            say.accept(
                    "group "
                            + kind
                            + " of "
                            + n
                            + ": member "
                            + Stats.of(member).row()
                            + "; master "
                            + Stats.of(master).row());
        }
    }

    /**
     * Kills {@code victim}, times the first line of {@code route} by another member, restarts it
     * and waits until it runs its own work again.
     */
    private long killAndTime(LedgerGroup g, String victim, String route) throws Exception {
        long t0 = System.currentTimeMillis();
        g.member(victim).kill();
        long end = System.nanoTime() + ArbiterBench.LEASE.plusSeconds(30).toNanos();
        long first = -1;
        while (first < 0 && System.nanoTime() < end) {
            first =
                    g.lines(route).stream()
                            .filter(l -> !l.host().equals(victim) && l.millis() >= t0)
                            .mapToLong(Ledger.Line::millis)
                            .min()
                            .orElse(-1);
            TimeUnit.MILLISECONDS.sleep(10);
        }
        HotBackupProcess p = g.member(victim);
        p.start().awaitStarted();
        g.awaitRunBy("work-" + victim, victim, System.currentTimeMillis(), Duration.ofSeconds(60));
        // every member has heard (and probed) the restarted one before the next kill
        TimeUnit.SECONDS.sleep(2);
        return first < 0 ? Long.MAX_VALUE : first - t0;
    }

    private void mesh() throws Exception {
        int n = 5;
        Path d = work.resolve("group-mesh");
        List<String> hosts = members(n);
        Duration warm = Duration.ofSeconds(quick ? 15 : 60);
        Duration window = Duration.ofSeconds(quick ? 30 : 120);
        try (Netns net = Netns.create(hosts.toArray(String[]::new))) {
            Map<String, String> keys =
                    Map.of(
                            "hotbackup.arbiter",
                            "file",
                            "hotbackup.arbiter.file.path",
                            d.resolve("locks").toString());
            try (LedgerGroup g = new LedgerGroup(d, net, hosts, keys, ArbiterBench.LEASE)) {
                g.ledgerPeriod(1000);
                g.startAll();
                TimeUnit.MILLISECONDS.sleep(warm.toMillis());
                long[] cpu0 = new long[n];
                long[] tx0 = new long[n];
                long[] pk0 = new long[n];
                for (int i = 0; i < n; i++) {
                    cpu0[i] = Proc.cpuNanos(g.member(hosts.get(i)).pid());
                    tx0[i] = counter(net.host(hosts.get(i)), "tx_bytes");
                    pk0[i] = counter(net.host(hosts.get(i)), "tx_packets");
                }
                long t0 = System.nanoTime();
                TimeUnit.MILLISECONDS.sleep(window.toMillis());
                double secs = (System.nanoTime() - t0) / 1e9;
                double cpu = 0;
                double tx = 0;
                double pk = 0;
                for (int i = 0; i < n; i++) {
                    cpu += (Proc.cpuNanos(g.member(hosts.get(i)).pid()) - cpu0[i]) / 1e9 / secs;
                    tx += (counter(net.host(hosts.get(i)), "tx_bytes") - tx0[i]) / secs;
                    pk += (counter(net.host(hosts.get(i)), "tx_packets") - pk0[i]) / secs;
                }
                results.groupMesh = new Mesh(n, cpu / n * 100, tx / n, pk / n);
                say.accept(
                        String.format(
                                Locale.ROOT,
                                "group mesh of %d: %.2f %% of a core, %.0f bytes/s and %.0f packets/s"
                                        + " out per member",
                                n,
                                cpu / n * 100,
                                tx / n,
                                pk / n));
            }
        }
    }

    /** One of eth0's counters in a test host's namespace. */
    private static long counter(Netns.Host host, String name) throws Exception {
        Process p =
                new ProcessBuilder(
                                "ip",
                                "netns",
                                "exec",
                                host.namespace(),
                                "cat",
                                "/sys/class/net/eth0/statistics/" + name)
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("cannot read " + name + " of " + host + ": " + out);
        }
        return Long.parseLong(out);
    }
}
