package dev.hotbackup.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.link.Decoded;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.Signer;
import dev.hotbackup.testing.ActivityLines;
import dev.hotbackup.testing.HotBackupProcess;
import dev.hotbackup.testing.LineServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.test.AvailablePortFinder;
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

    private HotBackupProcess live;
    private HotBackupProcess backup;
    private LineServer itsBackup;

    @AfterEach
    void stop() throws Exception {
        if (live != null) {
            live.close();
        }
        if (backup != null) {
            backup.close();
        }
        if (itsBackup != null) {
            itsBackup.close();
        }
    }

    @Test
    void fullBackupDoesNothingUntilDead() throws Exception {
        itsBackup = new LineServer();
        int port = AvailablePortFinder.getNextAvailable();
        Path files = work.resolve("shared");
        Path sample = Path.of("samples/file-use-case/routes");
        backup =
                new HotBackupProcess(
                                "backupB", work.resolve("backup"), HotBackupProcess.packagedJar())
                        .withRoutes(sample)
                        .set("hotbackup.listener.port", port)
                        .set("hotbackup.listener.threshold", "2s")
                        .set("hotbackup.backup-location", "127.0.0.1:" + itsBackup.port())
                        .set("hotbackup.secret", "e2e-secret-0123456789")
                        .set("hotbackup.takeover.routes", "records-to-xml,xml-to-fin")
                        .set("files.dir", files)
                        .arg("-b")
                        .start()
                        .awaitStarted();
        live =
                new HotBackupProcess(
                                "serverA", work.resolve("live"), HotBackupProcess.packagedJar())
                        .withRoutes(sample)
                        .set("hotbackup.backup-location", "127.0.0.1:" + port)
                        .set("hotbackup.secret", "e2e-secret-0123456789")
                        .set("files.dir", files)
                        .start()
                        .awaitStarted();
        ActivityLines activity = backup.activity();
        activity.awaitAtLeast(1, WAIT, "\"event\":\"signal\"", "\"state\":\"LIVE\"");

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
                new HeartbeatCodec(Signer.of("e2e-secret-0123456789"))
                        .decode(itsBackup.lines().get(0));
        assertTrue(frame.isAccepted(), String.valueOf(frame));
        assertEquals("backupB", frame.frame().host());
        Files.copy(
                Path.of("samples/file-use-case/batches/batch-2.csv"), inbox.resolve("batch-2.csv"));
        await().atMost(WAIT)
                .until(() -> backup.output().contains("Payment P-2002 written by backupB"));
    }
}
