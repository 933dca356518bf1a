package dev.hotbackup.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.ActivityLines;
import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.HotBackupProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wall clock jumps, forward and back, on either host (libfaketime moves the clock the JVM
 * reads, the monotonic clock keeps going): no DEAD, no refused frame. With the backup's clock an
 * hour behind, a timer on the wall clock (Camel's aggregator times out on it) would report a dead
 * host an hour late; the silence timer runs on the monotonic clock and declares DEAD on time.
 */
class ClockJumpIT {

    private static final Duration THRESHOLD = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir Path work;

    private HotBackupProcess live;
    private HotBackupProcess backup;

    @AfterEach
    void stop() throws Exception {
        if (live != null) {
            live.close();
        }
        if (backup != null) {
            backup.close();
        }
    }

    /** libfaketime from Debian's faketime package, which .ci/run installs. */
    static Path libfaketime() throws Exception {
        try (Stream<Path> found = Files.walk(Path.of("/usr/lib"), 3)) {
            return found.filter(p -> p.getFileName().toString().equals("libfaketimeMT.so.1"))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new IllegalStateException(
                                            "libfaketime is missing: apt-get install faketime (.ci/run does)"));
        }
    }

    private static HotBackupProcess fakeClock(HotBackupProcess p, Path lib, Path offset)
            throws Exception {
        Files.writeString(offset, "+0\n");
        return p.env("LD_PRELOAD", lib.toString())
                .env("FAKETIME_TIMESTAMP_FILE", offset.toString())
                .env("FAKETIME_CACHE_DURATION", "1")
                .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
                // without this, libfaketime 0.9.10 turns the JVM's timed waits into busy loops
                .env("FAKETIME_FORCE_MONOTONIC_FIX", "0");
    }

    private static void jump(Path offset, String to) throws Exception {
        Files.writeString(offset, to + "\n");
        // libfaketime reads the file again at most a second later
        await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> true);
    }

    @Test
    void clockJumpsCauseNoDeadAndNoRefusalAndDeadStillComesOnTime() throws Exception {
        Path lib = libfaketime();
        Path backupClock = work.resolve("backup-clock");
        Path liveClock = work.resolve("live-clock");
        int port = FreePorts.next();
        backup =
                fakeClock(
                                new HotBackupProcess(
                                                "backupB",
                                                work.resolve("backup"),
                                                HotBackupProcess.packagedJar())
                                        .watchOnly()
                                        .set("hotbackup.listener.port", port)
                                        .set("hotbackup.listener.bind-address", "127.0.0.1")
                                        .set(
                                                "hotbackup.listener.threshold",
                                                THRESHOLD.toSeconds() + "s")
                                        .set("hotbackup.secret", "clock-secret-0123456789"),
                                lib,
                                backupClock)
                        .start()
                        .awaitStarted();
        live =
                fakeClock(
                                new HotBackupProcess(
                                                "serverA",
                                                work.resolve("live"),
                                                HotBackupProcess.packagedJar())
                                        .set("hotbackup.backup-location", "127.0.0.1:" + port)
                                        .set("hotbackup.secret", "clock-secret-0123456789"),
                                lib,
                                liveClock)
                        .start()
                        .awaitStarted();
        ActivityLines activity = backup.activity();
        activity.awaitAtLeast(1, WAIT, "\"event\":\"signal\"", "\"state\":\"LIVE\"");

        jump(backupClock, "+1h");
        jump(backupClock, "-1h");
        jump(liveClock, "+1h");
        jump(liveClock, "-1h");
        jump(backupClock, "+2h");
        jump(backupClock, "-1h");
        await().pollDelay(THRESHOLD.multipliedBy(2))
                .atMost(THRESHOLD.multipliedBy(3))
                .until(() -> true);
        assertEquals(
                List.of("LIVE"), activity.signals("serverA"), String.join("\n", activity.lines()));
        assertTrue(
                activity.matching("\"event\":\"rejected\"").isEmpty(),
                String.join("\n", activity.lines()));

        long killed = System.nanoTime();
        live.kill();
        String dead =
                activity.awaitAtLeast(1, WAIT, "\"event\":\"signal\"", "\"state\":\"DEAD\"").get(0);
        long millis = (System.nanoTime() - killed) / 1_000_000;
        assertTrue(millis < THRESHOLD.toMillis() + 2000, "DEAD after " + millis + " ms: " + dead);
        // and the backup's wall clock really was an hour behind when it decided
        Instant decided = Instant.parse(dead.replaceAll(".*\"time\":\"([^\"]+)\".*", "$1"));
        long behind = Duration.between(decided, Instant.now()).toMinutes();
        assertTrue(behind >= 55 && behind <= 65, "backup clock " + behind + " min behind: " + dead);
    }
}
