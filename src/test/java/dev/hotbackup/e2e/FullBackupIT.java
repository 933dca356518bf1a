package dev.hotbackup.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.link.Decoded;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.Signer;
import dev.hotbackup.testing.ActivityLines;
import dev.hotbackup.testing.FileUseCasePair;
import dev.hotbackup.testing.HotBackupProcess;
import dev.hotbackup.testing.LineServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup started with {@code -b} does nothing until the live host is DEAD: its copies of the live
 * host's routes stay stopped although they say autoStartup, and it sends no heartbeat. Then it goes
 * live: it runs the routes and heartbeats to its own backup location.
 */
class FullBackupIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir Path work;

    private FileUseCasePair pair;
    private HotBackupProcess live;
    private HotBackupProcess backup;
    private LineServer itsBackup;

    @AfterEach
    void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        if (itsBackup != null) {
            itsBackup.close();
        }
    }

    @Test
    void fullBackupDoesNothingUntilDead() throws Exception {
        itsBackup = new LineServer();
        pair = new FileUseCasePair(work);
        backup =
                pair.backup
                        .set("hotbackup.listener.threshold", "2s")
                        .set("hotbackup.backup-location", "127.0.0.1:" + itsBackup.port())
                        .arg("-b");
        live = pair.live;
        pair.start(WAIT);
        Path files = pair.files;
        ActivityLines activity = backup.activity();

        Path inbox = Files.createDirectories(files.resolve("inbox"));
        Files.copy(
                Path.of("samples/file-use-case/batches/batch-1.csv"), inbox.resolve("batch-1.csv"));
        await().atMost(WAIT)
                .until(() -> live.output().contains("Payment P-1003 written by serverA"));
        assertFalse(
                backup.output().contains("taken by backupB"),
                "the backup must not touch the files");
        assertEquals(
                0,
                itsBackup.connections(),
                "a full backup sends no heartbeat while the live host lives");
        assertTrue(backup.output().contains("Full-backup mode"), backup.output());

        live.kill();

        activity.awaitAtLeast(
                1,
                WAIT,
                "\"event\":\"takeover\"",
                "heartbeat-emitter: started",
                "records-to-xml: started");
        await().atMost(WAIT).until(() -> itsBackup.lines().size() >= 3);
        Decoded frame =
                new HeartbeatCodec(Signer.of(FileUseCasePair.SECRET))
                        .decode(itsBackup.lines().get(0));
        assertTrue(frame.isAccepted(), String.valueOf(frame));
        assertEquals("backupB", frame.frame().host());
        Files.copy(
                Path.of("samples/file-use-case/batches/batch-2.csv"), inbox.resolve("batch-2.csv"));
        await().atMost(WAIT)
                .until(() -> backup.output().contains("Payment P-2002 written by backupB"));
    }
}
