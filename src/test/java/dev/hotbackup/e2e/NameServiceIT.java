package dev.hotbackup.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.hotbackup.testing.ActivityLines;
import dev.hotbackup.testing.HotBackupProcess;
import dev.hotbackup.testing.Netns;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live host with two backups, one of them named where the name service does not answer (a
 * resolver that waits six seconds a lookup, on hosts of a {@link Netns}): the other backup keeps
 * hearing every heartbeat in time, with no silence long enough for its reconfirm probe, while the
 * live host looks the name up again and again; the live host says the named backup cannot be
 * reached.
 */
class NameServiceIT {

    private static final String SECRET = "name-service-test-secret-0123456";
    private static final Duration THRESHOLD = Duration.ofSeconds(2);

    /** The backup's activity line when a host it hears has been silent past the threshold. */
    private static final String[] SILENT = {"\"event\":\"probe\"", "\"detail\":\"silent for"};

    @TempDir Path tmp;
    Netns net;
    HotBackupProcess live;
    HotBackupProcess backup;

    @AfterEach
    void cleanUp() throws Exception {
        for (HotBackupProcess p : new HotBackupProcess[] {live, backup}) {
            if (p != null) {
                p.close();
            }
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void aBackupWhoseNameDoesNotAnswerHoldsNoHeartbeatToTheOtherBackup() throws Exception {
        net = Netns.create("live", "backup");
        net.nameServiceThatDoesNotAnswer("live");
        Netns.Host b = net.host("backup");
        backup =
                new HotBackupProcess(
                                "backup", tmp.resolve("backup"), HotBackupProcess.packagedJar())
                        .inNamespace(b)
                        .watchOnly()
                        .set("hotbackup.host", "backup")
                        .set("hotbackup.listener.port", 7800)
                        .set("hotbackup.listener.threshold", THRESHOLD.toMillis() + "ms")
                        .set("hotbackup.listener.probe-timeout", "200ms")
                        .set("hotbackup.secret", SECRET);
        live =
                new HotBackupProcess("live", tmp.resolve("live"), HotBackupProcess.packagedJar())
                        .inNamespace(net.host("live"))
                        .set("hotbackup.host", "live")
                        // the named backup first: the heartbeat goes to it, then to the other
                        .set(
                                "hotbackup.backup-location",
                                "backup-b.test:7800," + b.address() + ":7800")
                        .set("hotbackup.probe.port", 7801)
                        .set("hotbackup.secret", SECRET);
        backup.start().awaitStarted();
        live.start().awaitStarted();
        ActivityLines heard = backup.activity();
        heard.until(
                "the backup hears the live host",
                Duration.ofSeconds(30),
                () -> !heard.matching("\"state\":\"LIVE\"").isEmpty());
        live.awaitOutput("Heartbeats cannot reach backup-b.test:7800: ", Duration.ofSeconds(30));

        // the JVM keeps a failed lookup for 10 s, then asks the name service again (6 s): over
        // 20 s the live host waits for it at least once
        try {
            await("20 s without silence at the backup")
                    .during(Duration.ofSeconds(20))
                    .atMost(Duration.ofSeconds(25))
                    .until(() -> heard.matching(SILENT).isEmpty());
        } catch (ConditionTimeoutException e) {
            fail(
                    "the backup heard a silence and probed the live host: "
                            + heard.matching(SILENT)
                            + "\n--- live:\n"
                            + live.output());
        }
        assertEquals(List.of(), heard.matching("\"state\":\"DEAD\""), "no false DEAD");
    }
}
