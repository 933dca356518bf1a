package dev.hotbackup.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;

/** Writes docs/benchmarks.md from the results, with the machine it ran on and the targets. */
final class Report {

    private Report() {}

    static void write(Benchmark.Results r, Path docs) throws Exception {
        Files.createDirectories(docs);
        if (!r.failover.isEmpty()) {
            Charts.failoverDistribution(r.failover, docs.resolve("failover-time.png"));
        }
        if (!r.scale.isEmpty()) {
            Charts.scale(r.scale, docs.resolve("listener-scale.png"));
        }
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append(
                        "Measured with `./mvnw -Pbench verify` (the harness is `src/test/java/dev/hotbackup/bench`), ")
                .append(r.quick ? "**quick run** (`-Dbench.quick=true`), " : "full run, ")
                .append(String.format(Locale.ROOT, "%.0f minutes, ", r.minutes))
                .append(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME))
                .append(
                        ".\nEvery figure comes from real processes (the packaged jar) on this one machine, on loopback.\n\n");
        md.append("Machine: ").append(machine()).append("\n\n");

        targets(r, md);
        failover(r, md);
        alarms(r, md);
        scale(r, md);
        emitter(r, md);
        arbiter(r, md);
        groups(r, md);
        link(r, md);
        if (r.startup != null) {
            md.append("## Start-up\n\nProcess start of the live host to the backup's first LIVE")
                    .append(" signal, ")
                    .append(r.startup.n())
                    .append(" starts each:\n\n| live host | p50 | p95 | p99 | max | trials |\n")
                    .append("|---|---|---|---|---|---|\n| with camel-hot-backup.jsa | ")
                    .append(r.startup.row())
                    .append(" |\n");
            if (r.startupJarAlone != null) {
                md.append("| the jar alone | ").append(r.startupJarAlone.row()).append(" |\n");
            }
            md.append('\n');
        }
        Files.writeString(docs.resolve("benchmarks.md"), md.toString());
    }

    private static void targets(Benchmark.Results r, StringBuilder md) {
        md.append("## Targets\n\n| target | measured | met |\n|---|---|---|\n");
        Stats kill = stats(r, Benchmark.key("camel-hot-backup", Benchmark.DEFAULT, Kill.SIGKILL));
        if (kill != null) {
            row(
                    md,
                    "SIGKILL at the default 60 s threshold: takeover under 500 ms p99",
                    "p99 " + Stats.ms(kill.p99()),
                    kill.p99() >= 0 && kill.p99() < 500 && kill.missing() == 0);
        }
        for (Duration t : List.of(Benchmark.SHORT, Benchmark.DEFAULT)) {
            Stats hung = stats(r, Benchmark.key("camel-hot-backup", t, Kill.SIGSTOP));
            if (hung != null) {
                long over = hung.p99() - t.toMillis();
                row(
                        md,
                        "hung at "
                                + t.toSeconds()
                                + " s: failover no later than threshold + 250 ms p99 (DEAD plus the takeover)",
                        over >= 0
                                ? "p99 threshold + " + Stats.ms(over)
                                // DEAD may come a hair before the threshold (the timer's tolerance)
                                : "p99 threshold - " + Stats.ms(-over),
                        hung.p99() >= 0 && over <= 250 && hung.missing() == 0);
            }
        }
        if (r.pauseDeads >= 0) {
            row(
                    md,
                    "zero false DEAD: " + r.pauses + " pauses at half the threshold",
                    r.pauseDeads + " DEAD",
                    r.pauseDeads == 0);
        }
        if (r.busyDeads >= 0) {
            row(
                    md,
                    "zero false DEAD: live host's CPU saturated by its own routes",
                    r.busyDeads + " DEAD",
                    r.busyDeads == 0);
            row(
                    md,
                    "heartbeat gap p99 under 150 ms with the CPU saturated",
                    "p99 " + Stats.ms(r.busyGaps.p99()),
                    r.busyGaps.p99() < 150);
        }
        for (Benchmark.ScaleRow s : r.scale) {
            if (s.hosts == 10_000) {
                row(
                        md,
                        "10,000 hosts at 10 Hz within 0.3 of a core (3 us a frame), no frame"
                                + " dropped as overloaded",
                        String.format(
                                Locale.ROOT,
                                "%.2f cores (%.1f us a frame), %d overloaded (%d while all"
                                        + " became LIVE at once; superseded by a newer frame of"
                                        + " their host: %d, %d while all became LIVE)",
                                s.cores,
                                s.cores * 1e6 / Math.max(1, s.framesPerSecond),
                                s.overloaded,
                                s.rampOverloaded,
                                s.superseded,
                                s.rampSuperseded),
                        s.cores <= 0.3 && s.overloaded == 0);
                row(
                        md,
                        "10,000 hosts within 512 MiB heap",
                        String.format(Locale.ROOT, "%.0f MiB after GC (-Xmx512m)", s.heapMiB),
                        s.heapMiB <= 512);
                row(
                        md,
                        "DEAD lateness p99 under 250 ms (1,000 go silent at once), no false DEAD",
                        "p99 " + Stats.ms(s.lateness.p99()) + ", " + s.falseDeads + " false DEAD",
                        s.lateness.p99() >= 0
                                && s.lateness.p99() < 250
                                && s.lateness.missing() == 0
                                && s.falseDeads == 0);
            }
        }
        Benchmark.ScaleRow largest = null;
        Benchmark.ScaleRow beyond = null;
        for (Benchmark.ScaleRow s : r.scale) {
            if (s.hosts > 10_000 && s.miss() != null) {
                beyond = s;
                break;
            }
            if (s.miss() == null && (largest == null || s.hosts > largest.hosts)) {
                largest = s;
            }
        }
        if (largest != null && r.scale.stream().anyMatch(s -> s.hosts > 10_000)) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| largest number of hosts at 10 Hz one listener holds within 1 core and"
                                    + " 512 MiB (printed, no target) | %,d (%.2f cores, %.0f MiB)%s"
                                    + " | - |\n",
                            largest.hosts,
                            largest.cores,
                            largest.heapMiB,
                            beyond == null
                                    ? ""
                                    : String.format(
                                            Locale.ROOT,
                                            "; %,d missed: %s",
                                            beyond.hosts,
                                            beyond.miss())));
        }
        if (r.emitterCpu >= 0) {
            row(
                    md,
                    "emitter under 0.5 % of one core at 10 Hz",
                    String.format(
                            Locale.ROOT,
                            "%.2f %% (whole process, %d s after a %d s warm-up; without %s"
                                    + " %.2f %%)",
                            r.emitterCpu * 100,
                            r.emitterWindow.toSeconds(),
                            r.emitterWarmUp.toSeconds(),
                            Benchmark.SAMPLING_FLAG,
                            r.emitterCpuWithoutFlag * 100),
                    r.emitterCpu < 0.005);
        }
        long lease = ArbiterBench.LEASE.toMillis();
        for (Map.Entry<String, List<Long>> e : r.arbiterKill.entrySet()) {
            Stats s = Stats.of(e.getValue());
            boolean file = e.getKey().equals("file");
            long bound = file ? 500 : lease + 500;
            row(
                    md,
                    "arbiter "
                            + e.getKey()
                            + ": SIGKILL to the takeover route's first exchange under "
                            + (file ? "500 ms" : "the lease (10 s) + 500 ms")
                            + " p99",
                    "p99 " + Stats.ms(s.p99()),
                    s.p99() >= 0 && s.p99() < bound && s.missing() == 0);
        }
        for (Map.Entry<String, Map<String, ArbiterBench.Shape>> e : r.splitBrain.entrySet()) {
            if (e.getKey().startsWith("camel-hot-backup")) {
                double worst =
                        e.getValue().values().stream()
                                .mapToDouble(ArbiterBench.Shape::both)
                                .max()
                                .orElse(0);
                row(
                        md,
                        e.getKey() + ": no split brain in any partition shape",
                        String.format(Locale.ROOT, "%.1f s at worst", worst),
                        worst == 0);
            }
        }
        if (r.startup != null) {
            row(
                    md,
                    "process start to first LIVE under 1.5 s (with the archive)",
                    "p99 " + Stats.ms(r.startup.p99()),
                    r.startup.p99() < 1500);
        }
        md.append('\n');
    }

    private static void failover(Benchmark.Results r, StringBuilder md) {
        if (r.failover.isEmpty()) {
            return;
        }
        md.append(
                        "## Failover time\n\nFrom the moment the live process is killed, hung or stopped to the first file ")
                .append(
                        "processed by the takeover route on the other process (a file route polling every 20 ms, the same ")
                .append(
                        "route on both sides; the trial file is dropped right after the kill).\n\n");
        times(md, "scenario", r.failover);
        md.append("\n![failover time distribution](failover-time.png)\n\n");
        md.append(
                        "### Against Camel's own failover\n\nOur p50 and p99 over theirs, per scenario (lower is better; ")
                .append("\"never\" when their member took over in no trial within the bound).\n\n")
                .append(
                        "| scenario | camel-hot-backup 60 s p50 / p99 | master: tuned p50 / p99 | ratio p99 | master: default p50 / p99 | ratio p99 |\n|---|---|---|---|---|---|\n");
        for (Kill kill : Kill.values()) {
            Stats ours = stats(r, Benchmark.key("camel-hot-backup", Benchmark.DEFAULT, kill));
            Stats tuned = stats(r, Benchmark.key("master: tuned", null, kill));
            Stats def = stats(r, Benchmark.key("master: default", null, kill));
            if (ours == null) {
                continue;
            }
            md.append("| ")
                    .append(kill.label)
                    .append(" | ")
                    .append(pp(ours))
                    .append(" | ")
                    .append(pp(tuned))
                    .append(" | ")
                    .append(ratio(ours, tuned))
                    .append(" | ")
                    .append(pp(def))
                    .append(" | ")
                    .append(ratio(ours, def))
                    .append(" |\n");
        }
        md.append(
                        "\nConfiguration: camel-hot-backup as packaged (heartbeat 100 ms, check interval min(threshold/20, ")
                .append(
                        "100 ms), probe timeout min(1 s, threshold/4), probe on disconnect on), backup in full-backup mode ")
                .append(
                        "(-b), HMAC secret set. Camel's master: `FileLockClusterService` on a local folder; *default*: ")
                .append(
                        "acquireLockInterval 10 s, heartbeatTimeoutMultiplier 5, acquireLockDelay 1 s; *tuned*: 100 ms, 2, 0 ")
                .append(
                        "(the leader is stale after 200 ms without a heartbeat written to the lock folder). Trials that take ")
                .append("a minute or more run on ten hosts at once, started 5 s apart.\n\n");
    }

    private static void alarms(Benchmark.Results r, StringBuilder md) {
        if (r.pauseDeads < 0) {
            return;
        }
        md.append(
                        "## False alarms\n\n| scenario | DEAD signals | heartbeat gaps p50 / p95 / p99 / max |\n|---|---|---|\n")
                .append("| ")
                .append(r.pauses)
                .append(" pauses (SIGSTOP) of the live process for half the 2 s threshold | ")
                .append(r.pauseDeads)
                .append(" | |\n");
        if (r.busyGaps != null) {
            md.append("| live host with 8 busy routes on ")
                    .append(Runtime.getRuntime().availableProcessors())
                    .append(
                            String.format(
                                    Locale.ROOT,
                                    " cores (%.2f cores used by the process) | ",
                                    r.busyCores))
                    .append(r.busyDeads)
                    .append(" | ")
                    .append(Stats.ms(r.busyGaps.p50()))
                    .append(" / ")
                    .append(Stats.ms(r.busyGaps.p95()))
                    .append(" / ")
                    .append(Stats.ms(r.busyGaps.p99()))
                    .append(" / ")
                    .append(Stats.ms(r.busyGaps.max()))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static void scale(Benchmark.Results r, StringBuilder md) {
        if (r.scale.isEmpty()) {
            return;
        }
        md.append(
                        "## Scale of one listener\n\nA load generator speaks the real signed protocol for N hosts at 10 heartbeats ")
                .append(
                        "a second each, over up to 20 connections, and answers their probes. Threshold 5 s, listener heap ")
                .append(
                        "limit 512 MiB. Then a random tenth stop heartbeating and answering at once: DEAD lateness is the time ")
                .append("of the DEAD signal past their last frame plus the threshold.\n\n")
                .append(
                        "| hosts | frames/s | listener CPU | heap after GC | RSS | rejection reports in the window | DEAD lateness p50 / p99 / max | missed / other DEAD |\n|---|---|---|---|---|---|---|---|\n");
        for (Benchmark.ScaleRow s : r.scale) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %d | %.0f | %.2f cores | %.0f MiB | %.0f MiB | %d | %s / %s / %s | %d / %d |\n",
                            s.hosts,
                            s.framesPerSecond,
                            s.cores,
                            s.heapMiB,
                            s.rssMiB,
                            s.rejected,
                            Stats.ms(s.lateness.p50()),
                            Stats.ms(s.lateness.p99()),
                            Stats.ms(s.lateness.max()),
                            s.lateness.missing(),
                            s.falseDeads));
        }
        md.append("\n![listener CPU and heap](listener-scale.png)\n\n");
    }

    private static void emitter(Benchmark.Results r, StringBuilder md) {
        if (r.emitterCpu < 0) {
            return;
        }
        md.append(
                String.format(
                        Locale.ROOT,
                        "## Emitter cost\n\nA live host that only heartbeats (10 Hz), started as the docs start it (with `%s`), used %.3f %% of one core, the whole process, "
                                + "measured over %d s after a %d s warm-up; "
                                + "an idle instance with nothing configured used %.3f %%. Started without the flag, beside them: %.3f %% and %.3f %%. "
                                + "%d heartbeats arrived, gaps p50 / p99 / max: %s / %s / %s.\n\n",
                        Benchmark.SAMPLING_FLAG,
                        r.emitterCpu * 100,
                        r.emitterWindow.toSeconds(),
                        r.emitterWarmUp.toSeconds(),
                        r.idleCpu * 100,
                        r.emitterCpuWithoutFlag * 100,
                        r.idleCpuWithoutFlag * 100,
                        r.emitterFrames,
                        Stats.ms(r.emitterGaps.p50()),
                        Stats.ms(r.emitterGaps.p99()),
                        Stats.ms(r.emitterGaps.max())));
    }

    private static void groups(Benchmark.Results r, StringBuilder md) {
        if (r.groupKill.isEmpty() && r.groupMesh == null) {
            return;
        }
        md.append("## Groups\n\n");
        if (!r.groupKill.isEmpty()) {
            md.append(
                            "### SIGKILL of a member\n\nActive-active groups on loopback, every member"
                                    + " running its own ledger route and the master the importer (both"
                                    + " timers every 20 ms). From the SIGKILL of the last member by"
                                    + " preference to the first exchange of its work on a survivor, and")
                    .append(
                            " from the SIGKILL of the master to the first exchange of the importer on"
                                    + " the new master; threshold 2 s, lease ")
                    .append(ArbiterBench.LEASE.toSeconds())
                    .append(
                            " s. Lock files: the operating system frees a dead member's lock at once;"
                                    + " jdbc (PostgreSQL): the survivor waits for the lease to lapse.\n\n");
            times(md, "arbiter, group, killed", r.groupKill);
            md.append('\n');
        }
        if (r.groupMesh != null) {
            GroupBench.Mesh m = r.groupMesh;
            md.append(
                    String.format(
                            Locale.ROOT,
                            "### What the mesh costs\n\nA group of %d, each member on a host of its"
                                    + " own (network namespaces on a bridge, lock files as the arbiter),"
                                    + " heartbeating to the %d others every 100 ms, its ledger routes"
                                    + " writing once a second. Per member, the whole process: **%.2f %%"
                                    + " of one core**, **%.0f bytes/s** and %.0f packets/s sent (heartbeats,"
                                    + " TCP acknowledgements of the others' heartbeats, probes).\n\n",
                            m.members(),
                            m.members() - 1,
                            m.cpuPercent(),
                            m.bytesOutPerSecond(),
                            m.packetsOutPerSecond()));
        }
    }

    /** A table of times per row: percentiles, maximum and trials. */
    private static void times(StringBuilder md, String first, Map<String, List<Long>> rows) {
        md.append("| ")
                .append(first)
                .append(" | p50 | p95 | p99 | max | trials |\n|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<Long>> e : rows.entrySet()) {
            md.append("| ")
                    .append(e.getKey())
                    .append(" | ")
                    .append(Stats.of(e.getValue()).row())
                    .append(" |\n");
        }
    }

    private static void link(Benchmark.Results r, StringBuilder md) {
        if (r.linkKill.isEmpty() && r.linkLoad == null) {
            return;
        }
        md.append("## Database link\n\n");
        if (!r.linkKill.isEmpty()) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "### SIGKILL: database link against TCP\n\nA live host and its backup"
                                    + " on loopback, PostgreSQL as the arbiter (lease %d s), a"
                                    + " heartbeat every %d s and a threshold of %d s on both links"
                                    + " (jdbc: a read every %d s, DEAD after %d reads without a"
                                    + " change). From the SIGKILL to the first exchange of the"
                                    + " ledger route on the backup. Over TCP the backup's probe"
                                    + " finds the killed process at once and the lease decides;"
                                    + " over the database nothing is probed, the counter must stay"
                                    + " still for the whole threshold.\n\n",
                            LinkBench.LEASE.toSeconds(),
                            LinkBench.HEARTBEAT.toSeconds(),
                            LinkBench.CHECK.multipliedBy(LinkBench.RETRIES).toSeconds(),
                            LinkBench.CHECK.toSeconds(),
                            LinkBench.RETRIES));
            times(md, "link", r.linkKill);
            md.append('\n');
        }
        if (r.linkLoad != null) {
            LinkBench.Load l = r.linkLoad;
            md.append(
                    String.format(
                            Locale.ROOT,
                            "### What the database carries\n\n%d live hosts updating their rows"
                                    + " every %d s and one backup reading the table every %d s, on"
                                    + " PostgreSQL: **%.1f statements/s** (%.1f transactions/s"
                                    + " committed in the database, by pg_stat_database), the"
                                    + " PostgreSQL server at **%.2f %% of one core**; %d writes"
                                    + " failed.\n\n",
                            l.hosts(),
                            LinkBench.HEARTBEAT.toSeconds(),
                            LinkBench.CHECK.toSeconds(),
                            l.statementsPerSecond(),
                            l.transactionsPerSecond(),
                            l.postgresCpuPercent(),
                            l.writeFailures()));
        }
    }

    private static void arbiter(Benchmark.Results r, StringBuilder md) {
        if (r.arbiterKill.isEmpty() && r.splitBrain.isEmpty() && r.arbiterCost.isEmpty()) {
            return;
        }
        md.append("## Never two actives\n\n");
        if (!r.arbiterKill.isEmpty()) {
            md.append(
                            "### SIGKILL with an arbiter\n\nFrom the SIGKILL of the live host to the first exchange of the ")
                    .append(
                            "takeover route on the backup (a ledger route, a timer every 20 ms), at the default lease (")
                    .append(ArbiterBench.LEASE.toSeconds())
                    .append(
                            " s). With jdbc and zookeeper the backup must wait for the dead holder's lease to lapse; ")
                    .append("the operating system frees a dead holder's lock file at once.\n\n");
            times(md, "arbiter", r.arbiterKill);
            md.append('\n');
        }
        if (!r.splitBrain.isEmpty()) {
            md.append(
                            "### Seconds of split brain per partition shape\n\nTwo instances on hosts of their own ")
                    .append(
                            "(network namespaces on a bridge) and the arbiter on a third; each shape starts from two fresh instances, one of them running the route, and lasts 15 s (10 s in a quick ")
                    .append(
                            "run), then heals and settles for the lease plus 4 s; the figure is the time, in 100 ms buckets, in which both instances ")
                    .append(
                            "wrote a ledger line, in bold, and (idle) the time in which neither did, which is the price of waiting for a lease or of a route that stopped. Lease and ZooKeeper session 4 s, threshold 1 s. Camel's `master:` peers: ")
                    .append(
                            "`FileLockClusterService` (100 ms, 2) on the same lock-file system as ours, ")
                    .append(
                            "`ZooKeeperClusterService` of camel-zookeeper 4.18.0 on the same ZooKeeper server. The ")
                    .append(
                            "arbiter-away shape for lock files freezes their file system; in the network shapes both hosts still reach the lock files (a file system mounted for all the namespaces, like storage on a network of its own). Camel's leaders run on while their arbiter is away, and no one else can lead then, so that shape shows no split brain for them either.\n\n| subject |");
            for (String shape : ArbiterBench.SHAPES) {
                md.append(' ').append(shape).append(" |");
            }
            md.append("\n|---|");
            ArbiterBench.SHAPES.forEach(x -> md.append("---|"));
            md.append('\n');
            for (Map.Entry<String, Map<String, ArbiterBench.Shape>> e : r.splitBrain.entrySet()) {
                md.append("| ").append(e.getKey()).append(" |");
                for (String shape : ArbiterBench.SHAPES) {
                    ArbiterBench.Shape v = e.getValue().get(shape);
                    md.append(' ')
                            .append(
                                    v == null
                                            ? "-"
                                            : String.format(
                                                            Locale.ROOT,
                                                            "**%.1f s** (idle %.1f s)",
                                                            v.both(),
                                                            v.none())
                                                    + (v.atEnd() == 1
                                                            ? ""
                                                            : v.atEnd() == 0
                                                                    ? ", none running at the end"
                                                                    : ", both still running at the end"))
                            .append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
        if (!r.arbiterCost.isEmpty()) {
            md.append(
                            "### The arbiter's cost\n\nOne instance holding 1,000 leases at the default lease (renewed every ")
                    .append(
                            "2 s), over a minute (20 s in a quick run). jdbc renews all of an instance's leases in one ")
                    .append(
                            "transaction (an UPDATE and a SELECT per 500 leases); zookeeper checks each lease's node in ")
                    .append(
                            "its session. Arbiter CPU is the server's: every PostgreSQL process, or the ZooKeeper JVM; ")
                    .append(
                            "holder CPU is the instance's own (a JVM that does nothing else). Each pair is one lease, ")
                    .append(
                            "so this is what an arbiter adds to 1,000 pairs, beside the listener's cost above.\n\n")
                    .append(
                            "| arbiter | leases | lease renewals/s | arbiter CPU (cores) | holder CPU (cores) |\n|---|---|---|---|---|\n");
            for (ArbiterBench.Cost c : r.arbiterCost) {
                md.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %d | %.0f | %.3f | %.3f |%n",
                                c.arbiter(),
                                c.leases(),
                                c.renewalsPerSecond(),
                                c.arbiterCores(),
                                c.holderCores()));
            }
            md.append('\n');
        }
    }

    private static Stats stats(Benchmark.Results r, String key) {
        List<Long> v = r.failover.get(key);
        return v == null ? null : Stats.of(v);
    }

    private static String pp(Stats s) {
        if (s == null) {
            return "not run";
        }
        if (s.p50() < 0) {
            return "never";
        }
        return Stats.ms(s.p50())
                + " / "
                + Stats.ms(s.p99())
                + (s.missing() > 0 ? " (" + s.missing() + " never)" : "");
    }

    private static String ratio(Stats ours, Stats theirs) {
        if (theirs == null) {
            return "";
        }
        if (theirs.p99() < 0 || theirs.missing() > 0) {
            return "they did not fail over";
        }
        return String.format(Locale.ROOT, "%.2f", ours.p99() / (double) theirs.p99());
    }

    private static void row(StringBuilder md, String target, String measured, boolean met) {
        md.append("| ")
                .append(target)
                .append(" | ")
                .append(measured)
                .append(" | ")
                .append(met ? "yes" : "**no**")
                .append(" |\n");
    }

    private static String machine() {
        try {
            String cpu =
                    Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                            .filter(l -> l.startsWith("model name"))
                            .findFirst()
                            .map(l -> l.substring(l.indexOf(':') + 1).trim())
                            .orElse("unknown CPU");
            String mem =
                    Files.readAllLines(Path.of("/proc/meminfo")).stream()
                            .filter(l -> l.startsWith("MemTotal"))
                            .findFirst()
                            .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1048576 + " GiB")
                            .orElse("?");
            String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
            return Runtime.getRuntime().availableProcessors()
                    + " cores ("
                    + cpu
                    + "), "
                    + mem
                    + " RAM, Linux "
                    + kernel
                    + ", "
                    + System.getProperty("java.vm.name")
                    + " "
                    + System.getProperty("java.version")
                    + ", Apache Camel "
                    + new DefaultCamelContext().getVersion();
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
