package dev.hotbackup.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.hotbackup.testing.ActivityLines;
import dev.hotbackup.testing.FileUseCasePair;
import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.HotBackupProcess;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real processes from the packaged jar on loopback, sharing a files folder: a live host running
 * the file use case, and a backup (distributed mode) holding the same routes stopped.
 */
class FailoverIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int SMTP = FreePorts.next();

    @RegisterExtension
    static final GreenMailExtension MAIL =
            new GreenMailExtension(new ServerSetup(SMTP, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    @TempDir Path work;

    private FileUseCasePair pair;
    private HotBackupProcess live;
    private HotBackupProcess backup;

    @BeforeEach
    void startPair() throws Exception {
        pair = new FileUseCasePair(work);
        backup =
                pair.backup
                        .set("hotbackup.listener.threshold", "2s")
                        // the environment overrides application.properties
                        .set("hotbackup.secret", "not-the-secret-0123456789")
                        .env("HOTBACKUP_SECRET", FileUseCasePair.SECRET)
                        .set("hotbackup.mail.host", "127.0.0.1")
                        .set("hotbackup.mail.port", SMTP)
                        .set("hotbackup.mail.to", "ops@example.com")
                        .set("files.auto-startup", "false");
        live =
                pair.live
                        // and so does -D
                        .set("hotbackup.secret", "not-the-secret-either-0123")
                        .jvmArg("-Dhotbackup.secret=" + FileUseCasePair.SECRET);
        pair.start(WAIT);
    }

    @AfterEach
    void stopPair() throws Exception {
        pair.close();
    }

    @Test
    void sigkillGivesDeadAndTheBackupProcessesTheFilesThenRestartGivesLiveThenSigtermGivesClose()
            throws Exception {
        ActivityLines activity = backup.activity();
        pair.drop("batch-1.csv");
        awaitFins(3);
        assertTrue(
                live.output().contains("Payment P-1001 written by serverA"),
                "the live host did the work");

        live.kill();
        activity.awaitAtLeast(1, WAIT, "\"event\":\"signal\"", "\"state\":\"DEAD\"");
        activity.awaitAtLeast(
                1,
                WAIT,
                "\"event\":\"takeover\"",
                "records-to-xml: started",
                "xml-to-fin: started");
        pair.drop("batch-2.csv");
        awaitFins(5);
        assertTrue(
                backup.output().contains("Payment P-2001 written by backupB"),
                "the backup did the work");
        assertTrue(Files.exists(pair.files.resolve("rejected")), "the bad record was set aside");

        live.start().awaitStarted();
        activity.awaitAtLeast(
                1, WAIT, "\"event\":\"release\"", "records-to-xml: stopped", "xml-to-fin: stopped");
        pair.drop(
                "batch-3.csv",
                "id,account,amount,currency,date\nP-3001,AT611904300234573201,7.50,EUR,2026-11-25\n");
        awaitFins(6);
        assertTrue(
                live.output().contains("Payment P-3001 written by serverA"),
                "work is back on the live host");

        // a JVM ended by SIGTERM exits with 143 even after a graceful shutdown
        assertEquals(143, live.stop());
        assertTrue(live.output().contains("Sent CLOSE to [127.0.0.1:"), live.output());
        assertTrue(live.output().contains("(hotbackup) shutdown in"), live.output());
        activity.awaitAtLeast(1, WAIT, "\"event\":\"signal\"", "\"state\":\"CLOSE\"");
        assertEquals(List.of("LIVE", "DEAD", "LIVE", "CLOSE"), activity.signals("serverA"));

        await().atMost(WAIT).until(() -> MAIL.getReceivedMessages().length >= 4);
        MimeMessage dead = MAIL.getReceivedMessages()[1];
        assertEquals("[hotbackup] serverA/base is DEAD", dead.getSubject());
        String body = (String) dead.getContent();
        assertTrue(body.contains("records-to-xml: started"), body);
    }

    private void awaitFins(int count) throws Exception {
        await().atMost(WAIT).until(() -> pair.fins() >= count);
        assertEquals(count, pair.fins());
    }
}
