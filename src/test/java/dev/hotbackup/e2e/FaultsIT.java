package dev.hotbackup.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.ActivityLines;
import dev.hotbackup.testing.FileUseCasePair;
import dev.hotbackup.testing.HotBackupProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults of the host, with real processes: hung hosts, restarted backups, hosts never heard. */
class FaultsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration THRESHOLD = Duration.ofSeconds(3);

    @TempDir Path work;

    private FileUseCasePair pair;
    private HotBackupProcess live;
    private HotBackupProcess backup;

    @AfterEach
    void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    /** A full backup started; the live host ready to start. */
    private void startPair(String... expect) throws Exception {
        pair = new FileUseCasePair(work);
        backup =
                pair.backup
                        .set("hotbackup.listener.threshold", THRESHOLD.toSeconds() + "s")
                        .set("hotbackup.listener.expect", String.join(",", expect))
                        .arg("-b");
        backup.start().awaitStarted();
        live = pair.live;
    }

    @Test
    void hungShorterThanTheThresholdIsNotDeadLongerIsDeadThenLiveAgain() throws Exception {
        startPair();
        live.start().awaitStarted();
        ActivityLines activity = backup.activity();
        activity.awaitAtLeast(1, WAIT, "\"event\":\"signal\"", "\"state\":\"LIVE\"");

        live.pause();
        await().pollDelay(THRESHOLD.dividedBy(2)).atMost(THRESHOLD).until(() -> true);
        live.resume();
        await().during(THRESHOLD.multipliedBy(2))
                .atMost(THRESHOLD.multipliedBy(3))
                .until(() -> activity.signals("serverA").equals(List.of("LIVE")));

        live.pause();
        String dead =
                activity.awaitAtLeast(1, WAIT, "\"event\":\"signal\"", "\"state\":\"DEAD\"").get(0);
        assertTrue(dead.contains("probe: no answer within"), dead);
        live.resume();
        activity.awaitAtLeast(2, WAIT, "\"event\":\"signal\"", "\"state\":\"LIVE\"");
        assertEquals(List.of("LIVE", "DEAD", "LIVE"), activity.signals("serverA"));
    }

    @Test
    void backupRestartedWhileTheLiveHostRunsWaitsThenSeesLiveWithoutTakeover() throws Exception {
        startPair();
        live.start().awaitStarted();
        ActivityLines activity = backup.activity();
        activity.awaitAtLeast(1, WAIT, "\"event\":\"signal\"", "\"state\":\"LIVE\"");

        backup.kill();
        int before = activity.lines().size();
        backup.start().awaitStarted();

        activity.awaitAtLeast(2, WAIT, "\"event\":\"signal\"", "\"state\":\"LIVE\"");
        await().during(THRESHOLD.multipliedBy(2))
                .atMost(THRESHOLD.multipliedBy(3))
                .until(() -> true);
        List<String> after = activity.lines().subList(before, activity.lines().size());
        assertTrue(
                after.stream().noneMatch(l -> l.contains("\"state\":\"DEAD\"")),
                String.valueOf(after));
        assertTrue(
                after.stream().noneMatch(l -> l.contains("\"event\":\"takeover\"")),
                String.valueOf(after));
        assertTrue(
                after.stream()
                        .anyMatch(l -> l.contains("first heartbeat since the listener restarted")),
                String.valueOf(after));
    }

    @Test
    void backupRestartedDuringATakeoverTakesOverAgain() throws Exception {
        startPair();
        live.start().awaitStarted();
        ActivityLines activity = backup.activity();
        activity.awaitAtLeast(1, WAIT, "\"event\":\"signal\"", "\"state\":\"LIVE\"");
        live.kill();
        activity.awaitAtLeast(1, WAIT, "\"event\":\"takeover\"", "records-to-xml: started");

        backup.kill();
        backup.start().awaitStarted();

        String again =
                activity.awaitAtLeast(2, WAIT, "\"event\":\"signal\"", "\"state\":\"DEAD\"").get(1);
        assertTrue(again.contains("still silent after the listener restarted"), again);
        activity.awaitAtLeast(2, WAIT, "\"event\":\"takeover\"", "records-to-xml: started");
        Path inbox = Files.createDirectories(work.resolve("shared/inbox"));
        Files.copy(
                Path.of("samples/file-use-case/batches/batch-1.csv"), inbox.resolve("batch-1.csv"));
        await().atMost(WAIT)
                .until(() -> backup.output().contains("Payment P-1003 written by backupB"));
    }

    @Test
    void expectedHostNeverHeardIsDeadAfterTheThreshold() throws Exception {
        startPair("serverA/base");
        ActivityLines activity = backup.activity();
        String dead =
                activity.awaitAtLeast(1, WAIT, "\"event\":\"signal\"", "\"state\":\"DEAD\"").get(0);
        assertTrue(dead.contains("since the listener started"), dead);
        activity.awaitAtLeast(1, WAIT, "\"event\":\"takeover\"", "records-to-xml: started");

        // when it shows up, it is LIVE and the backup steps back
        live.start().awaitStarted();
        activity.awaitAtLeast(1, WAIT, "\"event\":\"release\"", "records-to-xml: stopped");
    }
}
