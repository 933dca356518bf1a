package dev.hotbackup.bench;

import dev.hotbackup.monitor.MonitorRegistry;
import dev.hotbackup.testing.ActivityLines;
import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.HotBackupProcess;
import dev.hotbackup.testing.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The benchmark: real processes on this machine, camel-hot-backup and Camel's own failover side by
 * side, then docs/benchmarks.md and its plots. {@code ./mvnw -Pbench verify} runs it; {@code
 * -Dbench.quick=true} runs a few trials of each for a quick look; {@code
 * -Dbench.sections=failover,alarms,scale,emitter,startup,arbiter,group,link} picks sections; {@code
 * -Dbench.scale.sizes=100,1000,10000} the listener's fixed sizes, {@code
 * -Dbench.scale.search=false} skips the search for the largest size within one core and 512 MiB,
 * {@code -Dbench.jfr=true} records a listener of its own at 10,000 hosts with JFR, from its start
 * to the DEAD signals (target/bench/listener-10000.jfr; its figures are not reported: JFR's
 * sampling slows the listener), {@code -Dbench.emitter.warm-up=600} measures the emitter after ten
 * minutes instead of one (the steady state once the JIT has compiled the heartbeat's code).
 */
public final class Benchmark {

    static final Duration SHORT = Duration.ofSeconds(2);
    static final Duration DEFAULT = Duration.ofSeconds(60);

    private final boolean quick = Boolean.getBoolean("bench.quick");
    private final Set<String> sections =
            Set.of(
                    System.getProperty(
                                    "bench.sections",
                                    "failover,alarms,scale,emitter,startup,arbiter,group,link")
                            .split(","));
    private final int trials = quick ? 5 : 20;
    private final Path work = Path.of("target/bench").toAbsolutePath();
    private final long start = System.nanoTime();
    final Results results = new Results();

    public static void main(String[] args) throws Exception {
        Benchmark b = new Benchmark();
        int code = 0;
        try {
            b.run();
        } catch (Exception e) {
            e.printStackTrace(System.out);
            code = 1;
        }
        System.exit(code);
    }

    private void run() throws Exception {
        deleteTree(work);
        Files.createDirectories(work);
        results.quick = quick;
        results.trials = trials;
        say("camel-hot-backup benchmark (" + (quick ? "quick" : "full") + ") in " + work);
        // the sections that measure CPU and heap first, while nothing else has run for long
        if (sections.contains("scale")) {
            scale();
        }
        if (sections.contains("emitter")) {
            emitter();
        }
        if (sections.contains("startup")) {
            startup();
        }
        if (sections.contains("alarms")) {
            falseAlarms();
        }
        if (sections.contains("failover")) {
            failover();
        }
        if (sections.contains("arbiter")) {
            new ArbiterBench(results, work, quick, this::say).run();
        }
        if (sections.contains("group")) {
            new GroupBench(results, work, quick, this::say).run();
        }
        if (sections.contains("link")) {
            new LinkBench(results, work, quick, this::say).run();
        }
        results.minutes = (System.nanoTime() - start) / 60e9;
        Report.write(results, Path.of("docs"));
        say("written docs/benchmarks.md, docs/failover-time.png, docs/listener-scale.png");
    }

    // ---- 1 and 2: failover time, ours and Camel's master: side by side -------------------------

    private void failover() throws Exception {
        for (Kill kill : Kill.values()) {
            results.failover.put(
                    key("camel-hot-backup", SHORT, kill),
                    sequential(
                            () -> new OurPair(dir("ours-short-" + kill), SHORT),
                            kill,
                            SHORT.plusSeconds(30)));
        }
        for (Kill kill : Kill.values()) {
            Duration bound = DEFAULT.plusSeconds(30);
            String k = key("camel-hot-backup", DEFAULT, kill);
            results.failover.put(
                    k,
                    kill == Kill.SIGSTOP
                            ? parallel(
                                    "ours-default-" + kill,
                                    () -> new OurPair(dir(k + System.nanoTime()), DEFAULT),
                                    kill,
                                    bound)
                            : sequential(
                                    () -> new OurPair(dir("ours-default-" + kill), DEFAULT),
                                    kill,
                                    bound));
        }
        for (Kill kill : Kill.values()) {
            // Camel's FileLockClusterService as fast as it stays stable: leader heartbeat every
            // 100 ms, stale after 2 missed ones
            String k = key("master: tuned", null, kill);
            Duration bound = Duration.ofSeconds(kill == Kill.SIGSTOP ? 30 : 20);
            results.failover.put(
                    k,
                    kill == Kill.SIGSTOP
                            ? parallel(
                                    "master-tuned-" + kill,
                                    () -> new MasterPair(dir(k + System.nanoTime()), 100, 2, 0),
                                    kill,
                                    bound)
                            : sequential(
                                    () -> new MasterPair(dir("master-tuned-" + kill), 100, 2, 0),
                                    kill,
                                    bound));
        }
        for (Kill kill : Kill.values()) {
            // Camel's defaults: heartbeat every 10 s, stale after 5 missed ones, 1 s initial delay
            String k = key("master: default", null, kill);
            results.failover.put(
                    k,
                    parallel(
                            "master-default-" + kill,
                            () -> new MasterPair(dir(k + System.nanoTime()), 10_000, 5, 1_000),
                            kill,
                            Duration.ofSeconds(150)));
        }
    }

    static String key(String subject, Duration threshold, Kill kill) {
        return subject
                + (threshold == null ? "" : " (threshold " + threshold.toSeconds() + " s)")
                + " | "
                + kill.label;
    }

    /** All trials one after another on one subject. */
    private List<Long> sequential(Maker make, Kill kill, Duration bound) throws Exception {
        List<Long> out = new ArrayList<>();
        try (FailoverSubject s = make.make()) {
            for (int i = 0; i < trials; i++) {
                long ms = s.trial(kill, i, bound);
                out.add(ms);
                say(String.format(Locale.ROOT, "  %s trial %d: %s", kill, i + 1, Stats.ms(ms)));
            }
        }
        say("failover " + kill + ": " + Stats.of(out).row());
        return out;
    }

    /** Trials that take a minute or more: ten subjects at once, started 5 s apart. */
    private List<Long> parallel(String name, Maker make, Kill kill, Duration bound)
            throws Exception {
        int subjects = Math.min(10, trials);
        int each = (trials + subjects - 1) / subjects;
        ExecutorService pool = Executors.newFixedThreadPool(subjects);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int p = 0; p < subjects; p++) {
            int index = p;
            futures.add(
                    pool.submit(
                            () -> {
                                TimeUnit.SECONDS.sleep(5L * index);
                                List<Long> out = new ArrayList<>();
                                try (FailoverSubject s = make.make()) {
                                    for (int i = 0; i < each; i++) {
                                        long ms = s.trial(kill, i, bound);
                                        out.add(ms);
                                        say(
                                                String.format(
                                                        Locale.ROOT,
                                                        "  %s %s #%d.%d: %s",
                                                        name,
                                                        kill,
                                                        index,
                                                        i,
                                                        Stats.ms(ms)));
                                    }
                                }
                                return out;
                            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();
        List<Long> firstN = all.subList(0, Math.min(trials, all.size()));
        say("failover " + name + ": " + Stats.of(firstN).row());
        return new ArrayList<>(firstN);
    }

    // ---- 3 and 5: false alarms, heartbeat gaps under load, emitter cost -------------------------

    private void falseAlarms() throws Exception {
        int pauses = quick ? 10 : 100;
        try (OurPair pair = new OurPair(dir("alarms-pauses"), SHORT)) {
            pair.ready();
            ActivityLines activity = pair.backup().activity();
            for (int i = 0; i < pauses; i++) {
                pair.live().pause();
                TimeUnit.MILLISECONDS.sleep(SHORT.toMillis() / 2);
                pair.live().resume();
                // back to a steady heartbeat before the next pause
                TimeUnit.MILLISECONDS.sleep(SHORT.toMillis() / 2 + 500);
            }
            results.pauses = pauses;
            results.pauseDeads =
                    activity.matching("\"event\":\"signal\"", "\"state\":\"DEAD\"").size();
            say(
                    "pauses at half the threshold: "
                            + pauses
                            + ", DEAD signals: "
                            + results.pauseDeads);
        }

        Path dir = dir("alarms-busy");
        Path burn = Files.createDirectories(dir.resolve("burn-routes"));
        StringBuilder routes = new StringBuilder();
        for (int i = 1; i <= 8; i++) {
            routes.append(
                    """
                    - route:
                        id: burn-%d
                        from:
                          uri: scheduler:burn-%d
                          parameters:
                            delay: 1
                            initialDelay: 0
                          steps:
                            - loop:
                                constant: 100000
                                steps:
                                  - setBody:
                                      simple: "${random(1000)}"
                    """
                            .formatted(i, i));
        }
        Files.writeString(burn.resolve("burn.camel.yaml"), routes);
        int port = FreePorts.next();
        try (GapRecorder gaps = new GapRecorder();
                HotBackupProcess backup =
                        new HotBackupProcess(
                                        "backupB",
                                        dir.resolve("backup"),
                                        HotBackupProcess.packagedJar())
                                .watchOnly()
                                .set("hotbackup.listener.port", port)
                                .set("hotbackup.listener.bind-address", "127.0.0.1")
                                .set("hotbackup.listener.threshold", SHORT.toMillis() + "ms")
                                .set("hotbackup.secret", "bench-secret-0123456789");
                HotBackupProcess live =
                        new HotBackupProcess(
                                        "serverA",
                                        dir.resolve("live"),
                                        HotBackupProcess.packagedJar())
                                .withRoutes(burn)
                                .set(
                                        "hotbackup.backup-location",
                                        "127.0.0.1:" + port + ",127.0.0.1:" + gaps.port())
                                .set("hotbackup.secret", "bench-secret-0123456789")) {
            backup.start().awaitStarted();
            live.start().awaitStarted();
            ActivityLines activity = backup.activity();
            activity.awaitAtLeast(1, Duration.ofSeconds(60), "\"state\":\"LIVE\"");
            TimeUnit.SECONDS.sleep(5);
            gaps.reset();
            long cpu0 = Proc.cpuNanos(live.pid());
            long t0 = System.nanoTime();
            TimeUnit.SECONDS.sleep(quick ? 15 : 60);
            double cores = (Proc.cpuNanos(live.pid()) - cpu0) / (double) (System.nanoTime() - t0);
            results.busyCores = cores;
            results.busyGaps = Stats.of(gaps.gapsMillis());
            results.busyDeads =
                    activity.matching("\"event\":\"signal\"", "\"state\":\"DEAD\"").size();
            say(
                    String.format(
                            Locale.ROOT,
                            "saturated live host: %.2f cores busy, heartbeat gaps %s, DEAD signals %d",
                            cores,
                            results.busyGaps.row(),
                            results.busyDeads));
        }
    }

    /**
     * The JVM flag the docs give a live host (README, samples/systemd): the JVM's statistics for
     * {@code jstat} sampled once a second instead of every 50 ms, each a wake-up of its own.
     */
    static final String SAMPLING_FLAG = "-XX:PerfDataSamplingInterval=1000";

    private void emitter() throws Exception {
        // issue 13's window: a minute's warm-up, then five minutes measured. At 10 Hz the JIT's C2
        // reaches the heartbeat's methods only about 8 minutes in: -Dbench.emitter.warm-up=600
        // measures the steady state after it (docs/profiles/emitter.md). Four instances side by
        // side: a live host and an idle one as the docs start them, and both without the flag
        Duration warmUp =
                Duration.ofSeconds(quick ? 10 : Long.getLong("bench.emitter.warm-up", 60));
        Duration window = Duration.ofSeconds(quick ? 20 : 300);
        try (GapRecorder gaps = new GapRecorder();
                GapRecorder plainGaps = new GapRecorder();
                HotBackupProcess live = heartbeatOnly("emitter/live", gaps).jvmArg(SAMPLING_FLAG);
                HotBackupProcess plain = heartbeatOnly("emitter/live-without-flag", plainGaps);
                HotBackupProcess idle =
                        new HotBackupProcess(
                                        "idle", dir("emitter/idle"), HotBackupProcess.packagedJar())
                                .jvmArg(SAMPLING_FLAG);
                HotBackupProcess plainIdle =
                        new HotBackupProcess(
                                "idle",
                                dir("emitter/idle-without-flag"),
                                HotBackupProcess.packagedJar())) {
            List<HotBackupProcess> all = List.of(live, idle, plain, plainIdle);
            for (HotBackupProcess p : all) {
                p.start();
            }
            for (HotBackupProcess p : all) {
                p.awaitStarted();
            }
            TimeUnit.NANOSECONDS.sleep(warmUp.toNanos());
            gaps.reset();
            long[] cpu0 = new long[all.size()];
            for (int i = 0; i < cpu0.length; i++) {
                cpu0[i] = Proc.cpuNanos(all.get(i).pid());
            }
            long t0 = System.nanoTime();
            TimeUnit.NANOSECONDS.sleep(window.toNanos());
            long elapsed = System.nanoTime() - t0;
            double[] cpu = new double[all.size()];
            for (int i = 0; i < cpu.length; i++) {
                cpu[i] = (Proc.cpuNanos(all.get(i).pid()) - cpu0[i]) / (double) elapsed;
            }
            results.emitterCpu = cpu[0];
            results.idleCpu = cpu[1];
            results.emitterCpuWithoutFlag = cpu[2];
            results.idleCpuWithoutFlag = cpu[3];
            results.emitterWindow = window;
            results.emitterWarmUp = warmUp;
            results.emitterGaps = Stats.of(gaps.gapsMillis());
            results.emitterFrames = gaps.count();
            say(
                    String.format(
                            Locale.ROOT,
                            "emitter: %.3f %% of a core (an idle instance: %.3f %%), gaps %s;"
                                    + " without %s %.3f %% (idle %.3f %%)",
                            cpu[0] * 100,
                            cpu[1] * 100,
                            results.emitterGaps.row(),
                            SAMPLING_FLAG,
                            cpu[2] * 100,
                            cpu[3] * 100));
        }
    }

    /** A live host that only heartbeats, signed, to {@code backup}. */
    private HotBackupProcess heartbeatOnly(String folder, GapRecorder backup) throws IOException {
        return new HotBackupProcess("serverA", dir(folder), HotBackupProcess.packagedJar())
                .set("hotbackup.backup-location", "127.0.0.1:" + backup.port())
                .set("hotbackup.allow-unsigned", "false")
                .set("hotbackup.secret", "bench-secret-0123456789");
    }

    // ---- 4: scale of one listener
    // ----------------------------------------------------------------

    private void scale() throws Exception {
        String fixed = System.getProperty("bench.scale.sizes", "");
        if (fixed.isBlank()) {
            fixed = quick ? "100,1000" : "100,1000,10000";
        }
        for (String size : fixed.split(",")) {
            ScaleRow row = scale(Integer.parseInt(size.trim()), false);
            results.scale.add(row);
        }
        if (Boolean.getBoolean("bench.jfr")) {
            // a run of its own: JFR's sampling costs the listener CPU and delays its signals
            scale(10_000, true);
        }
        if (quick || !Boolean.parseBoolean(System.getProperty("bench.scale.search", "true"))) {
            return;
        }
        // the largest number of hosts one listener holds at 10 Hz within one core and 512 MiB:
        // upwards in steps of 10,000 until a size misses (CPU, heap, an overloaded frame, hosts
        // that never became LIVE or a false DEAD)
        for (int n = 20_000; n <= 200_000; n += 10_000) {
            ScaleRow row = scale(n, false);
            results.scale.add(row);
            if (row.miss() != null) {
                say("scale search stops at " + n + " hosts: " + row.miss());
                break;
            }
        }
    }

    /**
     * For 1.5 s from now, into {@code row}: bytes in the kernel on the listener's connections and
     * frames in its lanes at the start, and the most of each after ({@code -1} if unreadable).
     */
    private static void sampleQueues(ScaleRow row, int port, int observe) {
        long until = System.nanoTime() + 1_500_000_000L;
        try {
            long[] first = Proc.tcpQueues(port);
            row.queuedAtSilenceKiB = (first[0] + first[1]) / 1024;
            row.waitingAtSilence = framesWaiting(observe);
            while (System.nanoTime() < until) {
                long[] q = Proc.tcpQueues(port);
                row.unreadMaxKiB = Math.max(row.unreadMaxKiB, q[0] / 1024);
                row.unsentMaxKiB = Math.max(row.unsentMaxKiB, q[1] / 1024);
                row.waitingMax = Math.max(row.waitingMax, framesWaiting(observe));
                TimeUnit.MILLISECONDS.sleep(10);
            }
        } catch (IOException | InterruptedException e) {
            row.queuedAtSilenceKiB = -1;
        }
    }

    private static final Pattern FRAMES_WAITING =
            Pattern.compile("(?m)^hotbackup_frames_waiting\\S* ([0-9.E]+)");

    /** hotbackup_frames_waiting from the listener's Prometheus metrics, or -1. */
    private static long framesWaiting(int observePort) {
        try {
            Matcher m =
                    FRAMES_WAITING.matcher(
                            Http.get("http://127.0.0.1:" + observePort + "/observe/metrics")
                                    .body());
            return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * One listener watching {@code n} hosts of the load generator; {@code record}: with a JFR
     * recording from its start to the DEAD signals, in target/bench/listener-N.jfr.
     */
    private ScaleRow scale(int n, boolean record) throws Exception {
        Duration threshold = Duration.ofSeconds(5);
        ScaleRow row = new ScaleRow();
        row.hosts = n;
        int port = FreePorts.next();
        int observe = FreePorts.next();
        Path jfr = work.resolve("listener-" + n + ".jfr");
        try (HotBackupProcess listener =
                new HotBackupProcess(
                                "backupB",
                                dir("scale-" + n + (record ? "-jfr" : "")),
                                HotBackupProcess.packagedJar())
                        .jvmArg("-Xmx512m")
                        .watchOnly()
                        .set("hotbackup.listener.port", port)
                        .set("hotbackup.listener.bind-address", "127.0.0.1")
                        .set("hotbackup.listener.threshold", threshold.toMillis() + "ms")
                        .set("hotbackup.secret", "bench-secret-0123456789")
                        .set("hotbackup.http.enabled", "true")
                        .set("hotbackup.http.bind-address", "127.0.0.1")
                        .set("hotbackup.http.port", FreePorts.next())
                        .set("hotbackup.http.observe-port", observe)) {
            if (record) {
                listener.jvmArg("-XX:StartFlightRecording=name=bench,settings=profile");
            }
            listener.start().awaitStarted();
            ActivityLines activity = listener.activity();
            try (LoadGenerator gen =
                    new LoadGenerator(n, Math.min(20, n), port, "bench-secret-0123456789")) {
                long rampFrom = System.nanoTime();
                long deadline = rampFrom + Duration.ofMinutes(3).toNanos();
                int live;
                while ((live =
                                activity.matching("\"event\":\"signal\"", "\"state\":\"LIVE\"")
                                        .size())
                        < n) {
                    if (System.nanoTime() > deadline) {
                        row.notLive = n - live;
                        say("scale " + n + " hosts: " + row.notLive + " never became LIVE");
                        return row;
                    }
                    TimeUnit.MILLISECONDS.sleep(500);
                }
                row.allLiveMillis = (System.nanoTime() - rampFrom) / 1_000_000;
                TimeUnit.SECONDS.sleep(10);
                // refusals while all hosts became LIVE at once do not count: the window does
                int rejected0 = activity.matching("\"event\":\"rejected\"").size();
                row.rampOverloaded = refusedFrames(activity, "overloaded");
                row.rampSuperseded = refusedFrames(activity, "superseded");
                long cpu0 = Proc.cpuNanos(listener.pid());
                long sent0 = gen.sent();
                long t0 = System.nanoTime();
                Duration window = Duration.ofSeconds(quick ? 10 : 20);
                TimeUnit.NANOSECONDS.sleep(window.toNanos());
                long elapsed = System.nanoTime() - t0;
                row.cores = (Proc.cpuNanos(listener.pid()) - cpu0) / (double) elapsed;
                row.framesPerSecond = (gen.sent() - sent0) * 1e9 / elapsed;
                row.heapMiB = Proc.heapAfterGc(listener.pid()) / 1048576.0;
                row.rssMiB = Proc.rss(listener.pid()) / 1048576.0;
                row.rejected = activity.matching("\"event\":\"rejected\"").size() - rejected0;
                row.overloaded = refusedFrames(activity, "overloaded") - row.rampOverloaded;
                row.superseded = refusedFrames(activity, "superseded") - row.rampSuperseded;

                List<Integer> all = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    all.add(i);
                }
                Collections.shuffle(all, new Random(n));
                List<Integer> silent = all.subList(0, n / 10);
                // what waits in the kernel and the lanes around the silence: a late DEAD whose
                // frames were late
                Thread sampler =
                        new Thread(() -> sampleQueues(row, port, observe), "bench-tcp-queues");
                sampler.start();
                long[] lastSent = gen.silence(silent);
                sampler.join();
                row.silenceWaitMillis = gen.silenceWaitMillis();
                TimeUnit.MILLISECONDS.sleep(threshold.toMillis() + 10_000);
                Map<String, Long> deadAt = new LinkedHashMap<>();
                List<Long> monitorSilence = new ArrayList<>();
                for (String line :
                        activity.matching("\"event\":\"signal\"", "\"state\":\"DEAD\"")) {
                    String host = line.replaceAll(".*\"host\":\"([^\"]+)\".*", "$1");
                    String time = line.replaceAll(".*\"time\":\"([^\"]+)\".*", "$1");
                    deadAt.put(host, Instant.parse(time).toEpochMilli());
                    String silence = line.replaceAll(".*\"silent for ([0-9.]+) s.*", "$1");
                    if (!silence.equals(line)) {
                        monitorSilence.add(Math.round(Double.parseDouble(silence) * 1000));
                    }
                }
                Collections.sort(monitorSilence);
                if (!monitorSilence.isEmpty()) {
                    row.monitorSilenceP50 = monitorSilence.get(monitorSilence.size() / 2);
                    row.monitorSilenceMax = monitorSilence.get(monitorSilence.size() - 1);
                }
                List<Long> lateness = new ArrayList<>();
                for (int k = 0; k < silent.size(); k++) {
                    Long at = deadAt.get(LoadGenerator.host(silent.get(k)));
                    // lastSent is taken after the write returns: the listener may have the frame
                    // a millisecond earlier, so a DEAD right on time can look 1-2 ms early
                    lateness.add(
                            at == null
                                    ? null
                                    : Math.max(0, at - (lastSent[k] + threshold.toMillis())));
                }
                row.lateness = Stats.of(lateness);
                row.falseDeads = deadAt.size() - (silent.size() - row.lateness.missing());
                if (record) {
                    // from the start: all hosts becoming LIVE, the window, the DEAD signals
                    Proc.jfrStop(listener.pid(), "bench", jfr);
                    say("scale " + n + " hosts: JFR recording (not reported) in " + jfr);
                }
                say(
                        String.format(
                                Locale.ROOT,
                                "scale %d hosts: all LIVE %.1f s after the load started, %.0f frames/s, %.2f cores, heap %.0f MiB, rss %.0f MiB, overloaded %d (%d while becoming LIVE), superseded %d (%d while becoming LIVE), DEAD lateness %s, other DEAD %d; in the kernel at the silence %d KiB, then at most %d KiB unread by the listener, %d KiB unsent; in the lanes %d frames, then at most %d; the monitor's silence p50 %d ms, max %d ms; the generator's last batches written within %d ms",
                                n,
                                row.allLiveMillis / 1000.0,
                                row.framesPerSecond,
                                row.cores,
                                row.heapMiB,
                                row.rssMiB,
                                row.overloaded,
                                row.rampOverloaded,
                                row.superseded,
                                row.rampSuperseded,
                                row.lateness.row(),
                                row.falseDeads,
                                row.queuedAtSilenceKiB,
                                row.unreadMaxKiB,
                                row.unsentMaxKiB,
                                row.waitingAtSilence,
                                row.waitingMax,
                                row.monitorSilenceP50,
                                row.monitorSilenceMax,
                                row.silenceWaitMillis));
                return row;
            }
        }
    }

    /**
     * Frames refused for {@code code} ({@code overloaded}: dropped; {@code superseded}: a newer one
     * of the same host handled instead) so far: each report, and the ones it says were refused
     * since the last (reports are rate-limited).
     */
    private static int refusedFrames(ActivityLines activity, String code) throws Exception {
        int n = 0;
        for (String line : activity.matching("\"event\":\"rejected\"", code + ":")) {
            n++;
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("\\((\\d+) more refused").matcher(line);
            if (m.find()) {
                n += Integer.parseInt(m.group(1));
            }
        }
        return n;
    }

    // ---- 6: start-up
    // -------------------------------------------------------------------------------

    /**
     * Process start of the live host to the backup's first LIVE: with the build's class data
     * sharing archive (as the samples and systemd units run it), and the jar alone.
     */
    private void startup() throws Exception {
        results.startup = startup(true);
        say("start to first LIVE, with the archive: " + results.startup.row());
        results.startupJarAlone = startup(false);
        say("start to first LIVE, the jar alone: " + results.startupJarAlone.row());
    }

    private Stats startup(boolean archive) throws Exception {
        int port = FreePorts.next();
        String kind = archive ? "archive" : "alone";
        try (HotBackupProcess backup =
                        new HotBackupProcess(
                                        "backupB",
                                        dir("startup/" + kind + "/backup"),
                                        HotBackupProcess.packagedJar())
                                .watchOnly()
                                .set("hotbackup.listener.port", port)
                                .set("hotbackup.listener.bind-address", "127.0.0.1")
                                .set("hotbackup.secret", "bench-secret-0123456789");
                HotBackupProcess live =
                        new HotBackupProcess(
                                        "serverA",
                                        dir("startup/" + kind + "/live"),
                                        HotBackupProcess.packagedJar())
                                .set("hotbackup.backup-location", "127.0.0.1:" + port)
                                .set("hotbackup.secret", "bench-secret-0123456789")) {
            if (!archive) {
                live.withoutArchive();
            }
            backup.start().awaitStarted();
            ActivityLines activity = backup.activity();
            List<Long> times = new ArrayList<>();
            for (int i = 1; i <= trials; i++) {
                long t0 = System.currentTimeMillis();
                live.start();
                String first =
                        activity.awaitAtLeast(
                                        i,
                                        Duration.ofSeconds(60),
                                        "\"event\":\"signal\"",
                                        "\"state\":\"LIVE\"")
                                .get(i - 1);
                long at =
                        Instant.parse(first.replaceAll(".*\"time\":\"([^\"]+)\".*", "$1"))
                                .toEpochMilli();
                times.add(at - t0);
                // once its probe port answered, the kill fails over at once
                activity.awaitAtLeast(
                        i,
                        Duration.ofSeconds(60),
                        "\"host\":\"serverA\"",
                        MonitorRegistry.VERIFIED);
                live.kill();
                activity.awaitAtLeast(
                        i, Duration.ofSeconds(60), "\"event\":\"signal\"", "\"state\":\"DEAD\"");
            }
            return Stats.of(times);
        }
    }

    // ---- helpers
    // -------------------------------------------------------------------------------------

    private Path dir(String name) throws IOException {
        return Files.createDirectories(work.resolve(name.replaceAll("[^A-Za-z0-9.-]+", "-")));
    }

    private void say(String text) {
        System.out.printf(Locale.ROOT, "[%7.1f s] %s%n", (System.nanoTime() - start) / 1e9, text);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    interface Maker {
        FailoverSubject make() throws Exception;
    }

    /** One size of the scale test. */
    static final class ScaleRow {
        int hosts;
        double framesPerSecond;
        double cores;
        double heapMiB;
        double rssMiB;
        int rejected;

        /** Frames dropped as overloaded in the window, and before it (all hosts becoming LIVE). */
        int overloaded;

        int rampOverloaded;

        /** Frames superseded by a newer one of their host in the window, and before it. */
        int superseded;

        int rampSuperseded;

        /** From the load generator's start to every host LIVE (polled every 500 ms). */
        long allLiveMillis;

        int notLive;

        /**
         * Bytes in the kernel on the listener's connections when the hosts fell silent, and the
         * most in the 1.5 s after (unread by the listener; unsent by the generator): frames that
         * reach the monitor late make a DEAD late.
         */
        long queuedAtSilenceKiB;

        long unreadMaxKiB;
        long unsentMaxKiB;

        /** How long the generator took to write two more batches on every connection. */
        long silenceWaitMillis;

        /** Frames in the listener's lanes at the silence, and the most in the 1.5 s after. */
        long waitingAtSilence;

        long waitingMax;

        /** The DEAD signals' own "silent for" (the monitor's clock), p50 and max, in ms. */
        long monitorSilenceP50;

        long monitorSilenceMax;
        Stats lateness = Stats.of(List.of());
        int falseDeads;

        /** Why this size is beyond one listener's budget (one core, 512 MiB), or null. */
        String miss() {
            if (notLive > 0) {
                return notLive + " hosts never became LIVE within 3 minutes";
            }
            if (cores > 1.0) {
                return String.format(Locale.ROOT, "%.2f cores", cores);
            }
            if (heapMiB > 512) {
                return String.format(Locale.ROOT, "%.0f MiB of heap after GC", heapMiB);
            }
            if (overloaded > 0) {
                return overloaded + " frames dropped as overloaded";
            }
            if (falseDeads > 0 || lateness.missing() > 0) {
                return falseDeads + " false DEAD, " + lateness.missing() + " silent hosts not DEAD";
            }
            return null;
        }
    }

    /** Everything measured, for the report. */
    static final class Results {
        boolean quick;
        int trials;
        double minutes;
        final Map<String, List<Long>> failover = new LinkedHashMap<>();
        int pauses;
        int pauseDeads = -1;
        double busyCores;
        Stats busyGaps;
        int busyDeads = -1;
        double emitterCpu = -1;
        double idleCpu;

        /** The same two started without {@link #SAMPLING_FLAG}. */
        double emitterCpuWithoutFlag;

        double idleCpuWithoutFlag;
        Stats emitterGaps;
        int emitterFrames;
        final List<ScaleRow> scale = new ArrayList<>();
        Stats startup;

        /** How long the emitter's cost was measured, after how long a warm-up. */
        Duration emitterWindow;

        Duration emitterWarmUp;

        /** The same without the class data sharing archive. */
        Stats startupJarAlone;

        /** SIGKILL to the backup's first exchange, by arbiter, at the default lease. */
        final Map<String, List<Long>> arbiterKill = new LinkedHashMap<>();

        /** Seconds of split brain by subject, then by partition shape. */
        final Map<String, Map<String, ArbiterBench.Shape>> splitBrain = new LinkedHashMap<>();

        final List<ArbiterBench.Cost> arbiterCost = new ArrayList<>();

        /** SIGKILL to the first exchange elsewhere, by arbiter, group size and what was killed. */
        final Map<String, List<Long>> groupKill = new LinkedHashMap<>();

        GroupBench.Mesh groupMesh;

        /** SIGKILL to the first exchange on the backup, by link (tcp, jdbc). */
        final Map<String, List<Long>> linkKill = new LinkedHashMap<>();

        LinkBench.Load linkLoad;
    }
}
