package dev.hotbackup.bench;

import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatFrame;
import dev.hotbackup.link.jdbc.HeartbeatTable;
import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.LedgerPair;
import dev.hotbackup.testing.Postgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The benchmark's database link section: the failover time of a SIGKILLed live host through the
 * database link against the TCP link at the same heartbeat interval and threshold (both with
 * PostgreSQL as the arbiter), and what the database link costs the database for 100 monitored live
 * hosts: statements and transactions per second, and the PostgreSQL server's CPU.
 */
final class LinkBench extends BenchSection {

    /** The database's load: 100 writers and one reader at the link's defaults. */
    record Load(
            int hosts,
            double statementsPerSecond,
            double transactionsPerSecond,
            double postgresCpuPercent,
            long writeFailures) {}

    /** The intervals both links run at: heartbeat 1 s, threshold 6 s, lease 4 s. */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);

    static final Duration CHECK = Duration.ofSeconds(2);
    static final int RETRIES = 3;
    static final Duration LEASE = Duration.ofSeconds(4);

    LinkBench(Benchmark.Results results, Path work, boolean quick, Consumer<String> say) {
        super(results, work, quick, say);
    }

    /** The parts to run: {@code -Dbench.link.parts=kill,load} (both by default). */
    @Override
    void run() throws Exception {
        List<String> parts = parts("link", "kill,load");
        try (Postgres pg = Postgres.start(FreePorts.next())) {
            if (parts.contains("kill")) {
                kill(pg, "tcp");
                kill(pg, "jdbc");
            }
            if (parts.contains("load")) {
                load(pg, 100);
            }
        }
    }

    private void kill(Postgres pg, String link) throws Exception {
        int trials = quick ? 3 : 10;
        Map<String, String> arbiter =
                Map.of(
                        "hotbackup.arbiter",
                        "jdbc",
                        "hotbackup.arbiter.jdbc.url",
                        pg.url(),
                        "hotbackup.arbiter.jdbc.username",
                        Postgres.USER,
                        "hotbackup.arbiter.jdbc.password",
                        Postgres.PASSWORD,
                        "hotbackup.arbiter.jdbc.table",
                        "lease_" + link);
        Path dir = work.resolve("link-kill-" + link);
        List<Long> out = new ArrayList<>();
        try (LedgerPair pair =
                link.equals("tcp")
                        ? new LedgerPair(
                                dir, null, arbiter, "yaml", LEASE, CHECK.multipliedBy(RETRIES))
                        : LedgerPair.overDatabase(dir, arbiter, LEASE, HEARTBEAT, CHECK, RETRIES)) {
            if (link.equals("tcp")) {
                pair.live.set("hotbackup.heartbeat-interval", HEARTBEAT.toMillis() + "ms");
            } else {
                pair.live.set("hotbackup.link.jdbc.table", "beat_" + link);
                pair.backup.set("hotbackup.link.jdbc.table", "beat_" + link);
            }
            pair.start();
            for (int i = 0; i < trials; i++) {
                long t0 = System.currentTimeMillis();
                pair.live.kill();
                long first =
                        pair.awaitActive("backup", t0, LEASE.plus(CHECK.multipliedBy(RETRIES + 4)));
                out.add(first - t0);
                say.accept(
                        String.format(
                                Locale.ROOT,
                                "  %s link SIGKILL trial %d: %d ms",
                                link,
                                i + 1,
                                first - t0));
                pair.live.start();
                pair.live.awaitStarted();
                pair.awaitOnlyActive("live", System.currentTimeMillis());
            }
        }
        results.linkKill.put(link, out);
        say.accept("link " + link + " SIGKILL: " + Stats.of(out).row());
    }

    /**
     * {@code hosts} live hosts updating their rows every second and one backup reading the table
     * every two seconds, for a minute (20 s when quick), through four connection pools (a real
     * deployment has one per host; the statements are the same).
     */
    private void load(Postgres pg, int hosts) throws Exception {
        int pools = 4;
        List<HeartbeatTable> writers = new ArrayList<>();
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(pools + 1);
        AtomicLong statements = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        try (HeartbeatTable reader =
                new HeartbeatTable(
                        pg.url(),
                        Postgres.USER,
                        Postgres.PASSWORD,
                        "beat_load",
                        2000,
                        "backup",
                        "base",
                        "reader")) {
            reader.open();
            for (int p = 0; p < pools; p++) {
                HeartbeatTable w =
                        new HeartbeatTable(
                                pg.url(),
                                Postgres.USER,
                                Postgres.PASSWORD,
                                "beat_load",
                                2000,
                                "writer" + p,
                                "base",
                                "writer" + p);
                w.open();
                writers.add(w);
            }
            long[] seq = new long[hosts];
            for (int h = 0; h < hosts; h++) {
                int host = h;
                HeartbeatTable w = writers.get(h % pools);
                timer.scheduleAtFixedRate(
                        () -> {
                            try {
                                w.write(
                                        new HeartbeatFrame(
                                                "host" + host,
                                                "base",
                                                FrameState.LIVE,
                                                1,
                                                ++seq[host],
                                                0));
                                statements.incrementAndGet();
                            } catch (Exception e) {
                                failures.incrementAndGet();
                            }
                        },
                        h * HEARTBEAT.toMillis() / hosts,
                        HEARTBEAT.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            timer.scheduleAtFixedRate(
                    () -> {
                        reader.poll();
                        statements.incrementAndGet();
                    },
                    0,
                    CHECK.toMillis(),
                    TimeUnit.MILLISECONDS);
            TimeUnit.SECONDS.sleep(5); // rows created, pools warm
            long seconds = quick ? 20 : 60;
            long s0 = statements.get();
            long x0 = commits(pg);
            double cpu0 = Proc.cpuNanosOfUser("postgres") / 1e9;
            long t0 = System.nanoTime();
            TimeUnit.SECONDS.sleep(seconds);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            Load load =
                    new Load(
                            hosts,
                            (statements.get() - s0) / elapsed,
                            (commits(pg) - x0) / elapsed,
                            (Proc.cpuNanosOfUser("postgres") / 1e9 - cpu0) / elapsed * 100,
                            failures.get());
            results.linkLoad = load;
            say.accept(
                    String.format(
                            Locale.ROOT,
                            "link load, %d hosts: %.1f statements/s, %.1f transactions/s,"
                                    + " PostgreSQL %.2f %% of a core, %d failed writes",
                            load.hosts(),
                            load.statementsPerSecond(),
                            load.transactionsPerSecond(),
                            load.postgresCpuPercent(),
                            load.writeFailures()));
        } finally {
            timer.shutdownNow();
            timer.awaitTermination(10, TimeUnit.SECONDS);
            writers.forEach(HeartbeatTable::close);
        }
    }

    /** Transactions committed in the database so far (every statement above is one). */
    private static long commits(Postgres pg) throws Exception {
        try (Connection c =
                        DriverManager.getConnection(pg.url(), Postgres.USER, Postgres.PASSWORD);
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT xact_commit FROM pg_stat_database"
                                        + " WHERE datname = 'hotbackup'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
