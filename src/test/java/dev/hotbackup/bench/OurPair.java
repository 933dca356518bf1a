package dev.hotbackup.bench;

import dev.hotbackup.monitor.MonitorRegistry;
import dev.hotbackup.testing.ActivityLines;
import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.HotBackupProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** camel-hot-backup: a live host and a full backup (-b) holding the takeover route. */
final class OurPair extends FailoverSubject {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final HotBackupProcess backup;
    private final HotBackupProcess live;
    private final ActivityLines activity;
    private int lives;
    private boolean liveUp;

    OurPair(Path dir, Duration threshold) throws Exception {
        super(dir);
        Path routes = Files.createDirectories(dir.resolve("takeover-routes"));
        Files.writeString(
                routes.resolve("bench-takeover.camel.yaml"),
                """
                - route:
                    id: bench-takeover
                    autoStartup: false
                    from:
                      uri: "file:{{bench.files}}/inbox"
                      parameters:
                        include: "trial-.*\\\\.txt"
                        initialDelay: 0
                        delay: 20
                        delete: true
                      steps:
                        - setBody:
                            simple: "%s"
                        - to:
                            uri: "file:{{bench.files}}/out"
                            parameters:
                              tempPrefix: ".tmp-"
                """
                        .formatted(STAMP));
        int port = FreePorts.next();
        backup =
                new HotBackupProcess(
                                "backupB", dir.resolve("backup"), HotBackupProcess.packagedJar())
                        .withRoutes(routes)
                        .set("hotbackup.listener.port", port)
                        .set("hotbackup.listener.bind-address", "127.0.0.1")
                        .set("hotbackup.listener.threshold", threshold.toMillis() + "ms")
                        .set("hotbackup.secret", "bench-secret-0123456789")
                        .set("hotbackup.takeover.routes", "bench-takeover")
                        .set("bench.files", files)
                        .arg("-b");
        live =
                new HotBackupProcess("serverA", dir.resolve("live"), HotBackupProcess.packagedJar())
                        .set("hotbackup.backup-location", "127.0.0.1:" + port)
                        .set("hotbackup.secret", "bench-secret-0123456789");
        activity = backup.activity();
        backup.start().awaitStarted();
    }

    /** The backup's process, for CPU readings. */
    HotBackupProcess backup() {
        return backup;
    }

    HotBackupProcess live() {
        return live;
    }

    @Override
    void ready() throws Exception {
        if (liveUp) {
            return;
        }
        live.start().awaitStarted();
        lives++;
        activity.awaitAtLeast(
                lives, WAIT, "\"event\":\"signal\"", "\"host\":\"serverA\"", "\"state\":\"LIVE\"");
        // the takeover route is stopped again before the next kill
        activity.awaitAtLeast(lives, WAIT, "\"event\":\"release\"", "\"host\":\"serverA\"");
        // and its probe port answered, so a killed process fails over at once
        activity.awaitAtLeast(lives, WAIT, "\"host\":\"serverA\"", MonitorRegistry.VERIFIED);
        liveUp = true;
    }

    @Override
    long kill(Kill kill) throws Exception {
        long t0 = System.currentTimeMillis();
        switch (kill) {
            case SIGKILL -> live.kill();
            case SIGSTOP -> live.pause();
            case SIGTERM -> live.stop();
        }
        return t0;
    }

    @Override
    void after(Kill kill) throws Exception {
        // a hung process is killed where it stands: resuming it would make it LIVE again
        live.close();
        liveUp = false;
    }

    @Override
    public void close() throws Exception {
        live.close();
        backup.close();
    }
}
