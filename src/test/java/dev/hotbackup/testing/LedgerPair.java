package dev.hotbackup.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A live host ({@code live}) and its backup ({@code backup}) as processes of the packaged jar, both
 * with the route {@code ledger} ({@link Ledger}): the live host runs it under its own lease, the
 * backup takes it over. On loopback, or on hosts of a {@link Netns} (the backup's listener on
 * 7800), or over the database link. Used by the partition tests, the database link's and the
 * benchmark.
 */
public final class LedgerPair implements AutoCloseable {

    public static final String SECRET = "partition-test-secret-0123456789";

    public final HotBackupProcess live;
    public final HotBackupProcess backup;

    /**
     * @param net the hosts {@code live} and {@code backup}, or {@code null} for loopback
     * @param arbiter the arbiter's keys, set on both
     * @param dsl {@code yaml} or {@code xml}: the pack's routes and the ledger route
     */
    public LedgerPair(
            Path work,
            Netns net,
            Map<String, String> arbiter,
            String dsl,
            Duration lease,
            Duration threshold)
            throws Exception {
        this(work, net, arbiter, dsl, lease, tcp(net, threshold));
    }

    /**
     * Over the database link: heartbeats through the heartbeat table of the arbiter's database
     * (which must be jdbc), the backup DEAD after {@code retries} reads every {@code check} without
     * a change.
     */
    public static LedgerPair overDatabase(
            Path work,
            Map<String, String> arbiter,
            Duration lease,
            Duration heartbeat,
            Duration check,
            int retries)
            throws Exception {
        Map<String, String> link =
                Map.of(
                        "hotbackup.link",
                        "jdbc",
                        "hotbackup.link.jdbc.heartbeat-interval",
                        heartbeat.toMillis() + "ms",
                        "hotbackup.link.jdbc.check-interval",
                        check.toMillis() + "ms",
                        "hotbackup.link.jdbc.retry-count",
                        Integer.toString(retries));
        return new LedgerPair(work, null, arbiter, "yaml", lease, List.of(link, link));
    }

    /** The TCP link's keys of the live host and of the backup. */
    private static List<Map<String, String>> tcp(Netns net, Duration threshold) {
        int port = net == null ? FreePorts.next() : 7800;
        String backupAddress = net == null ? "127.0.0.1" : net.host("backup").address();
        Map<String, String> live = new java.util.HashMap<>();
        live.put("hotbackup.backup-location", backupAddress + ":" + port);
        live.put("hotbackup.secret", SECRET);
        Map<String, String> backup = new java.util.HashMap<>();
        backup.put("hotbackup.listener.port", Integer.toString(port));
        backup.put("hotbackup.listener.threshold", threshold.toMillis() + "ms");
        backup.put("hotbackup.listener.probe-timeout", "200ms");
        backup.put("hotbackup.secret", SECRET);
        if (net != null) {
            live.put("hotbackup.probe.port", "7801");
        } else {
            backup.put("hotbackup.listener.bind-address", "127.0.0.1");
        }
        return List.of(live, backup);
    }

    private LedgerPair(
            Path work,
            Netns net,
            Map<String, String> arbiter,
            String dsl,
            Duration lease,
            List<Map<String, String>> link)
            throws Exception {
        live =
                new HotBackupProcess("live", work.resolve("live"), HotBackupProcess.packagedJar())
                        .set("hotbackup.arbiter.routes", "ledger");
        backup =
                new HotBackupProcess(
                                "backup", work.resolve("backup"), HotBackupProcess.packagedJar())
                        .set("hotbackup.takeover.routes", "ledger");
        link.get(0).forEach(live::set);
        link.get(1).forEach(backup::set);
        if (net != null) {
            live.inNamespace(net.host("live"));
            backup.inNamespace(net.host("backup"));
        }
        for (HotBackupProcess h : List.of(live, backup)) {
            h.set("hotbackup.arbiter.lease", lease.toMillis() + "ms").set("hotbackup.dsl", dsl);
            arbiter.forEach(h::set);
            String file = dsl.equals("xml") ? "ledger.camel.xml" : "ledger.camel.yaml";
            Files.writeString(
                    h.dir().resolve("routes").resolve(file),
                    dsl.equals("xml") ? Ledger.ROUTE_XML : Ledger.ROUTE_YAML,
                    StandardCharsets.UTF_8);
        }
    }

    /** Starts both, and waits until the live host runs the ledger and the backup hears it. */
    public LedgerPair start() throws Exception {
        live.start();
        backup.start();
        live.awaitStarted();
        backup.awaitStarted();
        awaitActive("live", System.currentTimeMillis(), Duration.ofSeconds(30));
        backup.activity()
                .until(
                        "the backup hears the live host",
                        Duration.ofSeconds(15),
                        () -> !backup.activity().matching("\"state\":\"LIVE\"").isEmpty());
        return this;
    }

    /** Both ledgers, in time order. */
    public List<Ledger.Line> lines() throws Exception {
        return Ledger.read(live.dir(), backup.dir());
    }

    /** Waits until {@code host} writes ledger lines after {@code since} (wall clock, ms). */
    public long awaitActive(String host, long since, Duration max) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            long first =
                    lines().stream()
                            .filter(l -> l.host().equals(host) && l.millis() >= since)
                            .mapToLong(Ledger.Line::millis)
                            .min()
                            .orElse(-1);
            if (first >= 0) {
                return first;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new AssertionError(host + " wrote no ledger line within " + max + "\n" + tails());
    }

    /** After a heal: {@code host} runs the route again, and for the last half second it alone. */
    public void awaitOnlyActive(String host, long since) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            if (Ledger.onlyBy(lines(), host, since, System.currentTimeMillis())) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError(
                "after the heal, "
                        + host
                        + " is not the only one running the route; runs: "
                        + Ledger.segments(lines())
                        + "\n"
                        + tails());
    }

    /** The last lines both printed, for a failure message. */
    public String tails() {
        return "--- live:\n" + tail(live) + "\n--- backup:\n" + tail(backup);
    }

    private static String tail(HotBackupProcess p) {
        try {
            List<String> l = p.output().lines().toList();
            return String.join("\n", l.subList(Math.max(0, l.size() - 40), l.size()));
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws Exception {
        backup.close();
        live.close();
    }
}
