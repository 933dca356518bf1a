package dev.hotbackup.bench;

import dev.hotbackup.arbiter.Arbiter;
import dev.hotbackup.arbiter.Holder;
import dev.hotbackup.arbiter.LeaseEvents;
import dev.hotbackup.arbiter.LeaseKeeper;
import dev.hotbackup.arbiter.LeaseListener;
import dev.hotbackup.arbiter.LeaseTiming;
import dev.hotbackup.arbiter.file.FileArbiter;
import dev.hotbackup.arbiter.jdbc.JdbcArbiter;
import dev.hotbackup.arbiter.zookeeper.ZooKeeperArbiter;
import dev.hotbackup.monitor.MonitorRegistry;
import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.FreezableStorage;
import dev.hotbackup.testing.JvmProcess;
import dev.hotbackup.testing.Ledger;
import dev.hotbackup.testing.LedgerPair;
import dev.hotbackup.testing.Netns;
import dev.hotbackup.testing.Postgres;
import dev.hotbackup.testing.ZooKeeperServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The benchmark's "never two actives" section: SIGKILL to the first exchange of the takeover route
 * per arbiter at the default lease; seconds of split brain per partition shape, ours beside Camel's
 * {@code master:} on FileLockClusterService and on ZooKeeperClusterService, in network namespaces;
 * the arbiter's cost for 1,000 leases.
 */
final class ArbiterBench extends BenchSection {

    static final Duration LEASE = Duration.ofSeconds(10);

    /** Shapes of the split-brain runs, in order. */
    static final List<String> SHAPES =
            List.of(
                    "live host cut off from everyone",
                    "link between the two cut",
                    "backup cut off from everyone",
                    "arbiter unreachable for everyone");

    /** The arbiter's cost for many leases held by one instance. */
    record Cost(
            String arbiter,
            int leases,
            double renewalsPerSecond,
            double arbiterCores,
            double holderCores) {}

    ArbiterBench(Benchmark.Results results, Path work, boolean quick, Consumer<String> say) {
        super(results, work, quick, say);
    }

    /** The parts to run: {@code -Dbench.arbiter.parts=sigkill,split,cost} (all by default). */
    @Override
    void run() throws Exception {
        List<String> parts = parts("arbiter", "sigkill,split,cost");
        if (parts.contains("sigkill")) {
            sigkill();
        }
        if (parts.contains("split")) {
            splitBrain();
        }
        if (parts.contains("cost")) {
            cost();
        }
    }

    // ---- SIGKILL per arbiter
    // ---------------------------------------------------------------------

    private void sigkill() throws Exception {
        int trials = quick ? 3 : 10;
        for (String kind : List.of("file", "jdbc", "zookeeper")) {
            try (Env env = Env.loopback(kind, dir("kill-" + kind + "-arbiter"))) {
                List<Long> out = new ArrayList<>();
                try (LedgerPair pair =
                        new LedgerPair(
                                        dir("kill-" + kind),
                                        null,
                                        env.props(),
                                        "yaml",
                                        LEASE,
                                        Duration.ofSeconds(2))
                                .start()) {
                    for (int i = 0; i < trials; i++) {
                        // the backup verified the live host's probe port, so a killed process
                        // fails over at once (as in the failover section)
                        pair.backup
                                .activity()
                                .awaitAtLeast(
                                        i + 1,
                                        Duration.ofSeconds(30),
                                        "\"host\":\"live\"",
                                        MonitorRegistry.VERIFIED);
                        long t0 = System.currentTimeMillis();
                        pair.live.kill();
                        long first =
                                pair.awaitActive("backup", t0, LEASE.plus(Duration.ofSeconds(20)));
                        out.add(first - t0);
                        say.accept(
                                String.format(
                                        Locale.ROOT,
                                        "  %s SIGKILL trial %d: %d ms",
                                        kind,
                                        i + 1,
                                        first - t0));
                        pair.live.start();
                        pair.live.awaitStarted();
                        pair.awaitOnlyActive("live", System.currentTimeMillis());
                    }
                }
                results.arbiterKill.put(kind, out);
                say.accept("arbiter " + kind + " SIGKILL: " + Stats.of(out).row());
            }
        }
    }

    // ---- split brain per shape
    // -------------------------------------------------------------------

    private void splitBrain() throws Exception {
        Duration lease = Duration.ofSeconds(4);
        Duration cut = Duration.ofSeconds(quick ? 10 : 15);
        for (String subject :
                List.of(
                        "camel-hot-backup jdbc (PostgreSQL)",
                        "camel-hot-backup zookeeper",
                        "camel-hot-backup file",
                        "master: FileLockClusterService",
                        "master: ZooKeeperClusterService")) {
            String kind =
                    subject.contains("jdbc")
                            ? "jdbc"
                            : subject.toLowerCase(Locale.ROOT).contains("zookeeper")
                                    ? "zookeeper"
                                    : "file";
            boolean ours = subject.startsWith("camel-hot-backup");
            Path d = dir("split-" + subject);
            Map<String, Shape> seconds = new LinkedHashMap<>();
            try (Netns net = Netns.create("live", "backup", "arbiter");
                    Env env = Env.inNamespace(kind, d.resolve("arbiter"), net.host("arbiter"))) {
                for (String shape : SHAPES) {
                    // fresh peers for each shape, so that one shape's leftovers (two leaders
                    // that never settled) are not counted against the next
                    Path sd = d.resolve(shape.replaceAll("[^a-z]+", "-"));
                    Peers peers =
                            ours
                                    ? new OurPeers(
                                            new LedgerPair(
                                                    sd,
                                                    net,
                                                    env.props(),
                                                    "yaml",
                                                    lease,
                                                    Duration.ofSeconds(1)))
                                    : new CamelPeers(sd, net, env, lease);
                    try (peers) {
                        peers.start();
                        long t0 = System.currentTimeMillis();
                        switch (shape) {
                            case "live host cut off from everyone" -> net.cutOff("live");
                            case "link between the two cut" -> net.cutBetween("live", "backup");
                            case "backup cut off from everyone" -> net.cutOff("backup");
                            default -> env.away(net);
                        }
                        TimeUnit.MILLISECONDS.sleep(cut.toMillis());
                        if (shape.equals(SHAPES.get(3))) {
                            env.back(net);
                        }
                        net.heal();
                        // after the heal, until things settle
                        TimeUnit.MILLISECONDS.sleep(lease.toMillis() + 4000);
                        long t1 = System.currentTimeMillis();
                        Shape s = measure(peers.lines(), t0, t1);
                        seconds.put(shape, s);
                        say.accept(
                                String.format(
                                        Locale.ROOT,
                                        "  %s, %s: %.1f s of split brain, %.1f s with neither,"
                                                + " %d running the route at the end",
                                        subject,
                                        shape,
                                        s.both(),
                                        s.none(),
                                        s.atEnd()));
                    }
                }
            }
            results.splitBrain.put(subject, seconds);
        }
    }

    /**
     * One shape's figures, in 100 ms buckets from the cut to the end of the settling: the time in
     * which both hosts ran the route (split brain), and the time in which neither did (the price of
     * waiting for a lease).
     */
    record Shape(double both, double none, int atEnd) {}

    static Shape measure(List<Ledger.Line> lines, long from, long to) {
        Map<Long, Integer> who = new HashMap<>();
        for (Ledger.Line l : lines) {
            if (l.millis() < from || l.millis() >= to) {
                continue;
            }
            int bit = l.host().equals("live") ? 1 : 2;
            who.merge(l.millis() / 100, bit, (a, b) -> a | b);
        }
        long buckets = to / 100 - from / 100;
        long both = who.values().stream().filter(v -> v == 3).count();
        // how many ran the route in the last second, once settled
        int atEnd = 0;
        for (long b = (to - 1000) / 100; b < to / 100; b++) {
            atEnd |= who.getOrDefault(b, 0);
        }
        return new Shape(
                both / 10.0, Math.max(0, buckets - who.size()) / 10.0, Integer.bitCount(atEnd));
    }

    /** The two instances that share the work: ours, or Camel's master: peers. */
    private interface Peers extends AutoCloseable {
        void start() throws Exception;

        List<Ledger.Line> lines() throws Exception;
    }

    private record OurPeers(LedgerPair pair) implements Peers {
        @Override
        public void start() throws Exception {
            pair.start();
        }

        @Override
        public List<Ledger.Line> lines() throws Exception {
            return pair.lines();
        }

        @Override
        public void close() throws Exception {
            pair.close();
        }
    }

    /** Two master: peers; "live" starts first and leads. */
    private static final class CamelPeers implements Peers {
        private final List<JvmProcess> peers = new ArrayList<>();
        private final Path live;
        private final Path backup;

        CamelPeers(Path dir, Netns net, Env env, Duration session) throws IOException {
            live = Files.createDirectories(dir.resolve("live"));
            backup = Files.createDirectories(dir.resolve("backup"));
            for (String host : List.of("live", "backup")) {
                peers.add(
                        JvmProcess.ofMain(
                                        dir.resolve(host),
                                        host,
                                        LedgerMasterPeer.class.getName(),
                                        env.camelKind(),
                                        env.camelTarget(),
                                        host,
                                        Long.toString(session.toMillis()))
                                .prefix(net.host(host).exec()));
            }
        }

        @Override
        public void start() throws Exception {
            peers.get(0).start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Ledger.read(live).isEmpty()) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException(
                            "the master: peer never led:\n" + peers.get(0).output());
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            peers.get(1).start();
            TimeUnit.SECONDS.sleep(5);
        }

        @Override
        public List<Ledger.Line> lines() throws Exception {
            return Ledger.read(live, backup);
        }

        @Override
        public void close() throws Exception {
            for (JvmProcess p : peers) {
                p.close();
            }
        }
    }

    // ---- cost of 1,000 leases
    // --------------------------------------------------------------------

    private void cost() throws Exception {
        int leases = 1000;
        long window = quick ? 20 : 60;
        for (String kind : List.of("jdbc", "zookeeper")) {
            try (Env env = Env.loopback(kind, dir("cost-" + kind))) {
                Arbiter a = env.arbiter(2000);
                a.start();
                LeaseKeeper keeper =
                        new LeaseKeeper(
                                a,
                                Holder.forThisRun("bench"),
                                LeaseTiming.of(LEASE.toNanos()),
                                null,
                                0,
                                LeaseEvents.NONE,
                                System::nanoTime);
                keeper.start();
                try {
                    LeaseListener none =
                            new LeaseListener() {
                                @Override
                                public void granted(String key, long epoch) {}

                                @Override
                                public void lost(String key, long epoch, String why) {}
                            };
                    for (int i = 0; i < leases; i++) {
                        keeper.want("host" + i + "/base", none);
                    }
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (keeper.views().stream()
                                    .filter(v -> v.state() == dev.hotbackup.arbiter.LeaseState.HELD)
                                    .count()
                            < leases) {
                        if (System.nanoTime() > end) {
                            throw new IllegalStateException("not all leases granted in 60 s");
                        }
                        TimeUnit.MILLISECONDS.sleep(100);
                    }
                    TimeUnit.SECONDS.sleep(3);
                    long r0 = keeper.renewals();
                    double c0 = env.cpuSeconds();
                    // the holder is this JVM, idle but for the keeper while the window lasts
                    long h0 = processCpuNanos();
                    long t0 = System.nanoTime();
                    TimeUnit.SECONDS.sleep(window);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    Cost c =
                            new Cost(
                                    kind,
                                    leases,
                                    (keeper.renewals() - r0) / secs,
                                    (env.cpuSeconds() - c0) / secs,
                                    (processCpuNanos() - h0) / 1e9 / secs);
                    results.arbiterCost.add(c);
                    say.accept(
                            String.format(
                                    Locale.ROOT,
                                    "  %s, %d leases: %.0f renewals/s, arbiter %.3f cores, holder %.3f cores, %d fences",
                                    kind,
                                    leases,
                                    c.renewalsPerSecond(),
                                    c.arbiterCores(),
                                    c.holderCores(),
                                    keeper.fences()));
                } finally {
                    keeper.stop();
                }
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    // ---- arbiters
    // --------------------------------------------------------------------------------

    /** One arbiter server, on loopback or on a test host, with the keys that reach it. */
    abstract static class Env implements AutoCloseable {
        final String kind;

        Env(String kind) {
            this.kind = kind;
        }

        abstract Map<String, String> props();

        /** The arbiter for an in-process keeper (loopback only). */
        abstract Arbiter arbiter(long timeoutMillis);

        String camelKind() {
            return kind.equals("zookeeper") ? "zookeeper" : "file";
        }

        abstract String camelTarget();

        /** CPU seconds the arbiter's server processes used so far. */
        abstract double cpuSeconds() throws IOException;

        /** The fourth shape: the arbiter unreachable for everyone. */
        void away(Netns net) throws Exception {
            net.cutOff("arbiter");
        }

        void back(Netns net) throws Exception {
            net.heal();
        }

        static Env loopback(String kind, Path dir) throws Exception {
            return create(kind, dir, null);
        }

        static Env inNamespace(String kind, Path dir, Netns.Host host) throws Exception {
            return create(kind, dir, host);
        }

        private static Env create(String kind, Path dir, Netns.Host host) throws Exception {
            Files.createDirectories(dir);
            return switch (kind) {
                case "jdbc" -> new PostgresEnv(dir, host);
                case "zookeeper" -> new ZooKeeperEnv(dir, host);
                default -> new FileEnv(dir);
            };
        }
    }

    private static final class PostgresEnv extends Env {
        private final Postgres pg;

        PostgresEnv(Path dir, Netns.Host host) throws Exception {
            super("jdbc");
            pg =
                    host == null
                            ? Postgres.start(FreePorts.next())
                            : Postgres.start(host.address(), 5432, host.exec());
        }

        @Override
        Map<String, String> props() {
            return Map.of(
                    "hotbackup.arbiter",
                    "jdbc",
                    "hotbackup.arbiter.jdbc.url",
                    pg.url(),
                    "hotbackup.arbiter.jdbc.username",
                    Postgres.USER,
                    "hotbackup.arbiter.jdbc.password",
                    Postgres.PASSWORD);
        }

        @Override
        Arbiter arbiter(long timeoutMillis) {
            return new JdbcArbiter(
                    pg.url(), Postgres.USER, Postgres.PASSWORD, "hotbackup_lease", timeoutMillis);
        }

        @Override
        String camelTarget() {
            throw new UnsupportedOperationException("Camel has no master: on a database");
        }

        @Override
        double cpuSeconds() throws IOException {
            return Proc.cpuNanosOfUser("postgres") / 1e9;
        }

        @Override
        public void close() {
            pg.close();
        }
    }

    private static final class ZooKeeperEnv extends Env {
        private final ZooKeeperServer server;

        ZooKeeperEnv(Path dir, Netns.Host host) throws Exception {
            super("zookeeper");
            server = ZooKeeperServer.start(dir, host, host == null ? FreePorts.next() : 2181);
        }

        @Override
        Map<String, String> props() {
            return Map.of(
                    "hotbackup.arbiter",
                    "zookeeper",
                    "hotbackup.arbiter.zookeeper.connect",
                    server.connect());
        }

        @Override
        Arbiter arbiter(long timeoutMillis) {
            return new ZooKeeperArbiter(
                    server.connect(), "/hotbackup", LEASE.toMillis(), timeoutMillis);
        }

        @Override
        String camelTarget() {
            return server.connect();
        }

        @Override
        double cpuSeconds() throws IOException {
            return Proc.cpuNanos(server.pid()) / 1e9;
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    /** Lock files on a file system of their own, frozen for the fourth shape. */
    private static final class FileEnv extends Env {
        private final FreezableStorage locks;

        FileEnv(Path dir) throws Exception {
            super("file");
            locks = FreezableStorage.mount(dir.resolve("locks"));
        }

        @Override
        Map<String, String> props() {
            return Map.of(
                    "hotbackup.arbiter",
                    "file",
                    "hotbackup.arbiter.file.path",
                    locks.path().toString());
        }

        @Override
        Arbiter arbiter(long timeoutMillis) {
            return new FileArbiter(locks.path());
        }

        @Override
        String camelTarget() {
            return locks.path().toString();
        }

        @Override
        double cpuSeconds() {
            return 0;
        }

        @Override
        void away(Netns net) throws Exception {
            locks.freeze();
        }

        @Override
        void back(Netns net) throws Exception {
            locks.thaw();
        }

        @Override
        public void close() throws Exception {
            locks.close();
        }
    }

    private Path dir(String name) throws IOException {
        return Files.createDirectories(work.resolve(name.replaceAll("[^A-Za-z0-9.-]+", "-")));
    }
}
