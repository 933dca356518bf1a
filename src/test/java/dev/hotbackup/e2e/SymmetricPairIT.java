package dev.hotbackup.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.HotBackupProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The sample in samples/symmetric-pair, on loopback: each host takes over the other's work. */
class SymmetricPairIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir Path work;

    private HotBackupProcess a;
    private HotBackupProcess b;

    /** A failure prints what both instances printed, before they stop. */
    @RegisterExtension
    final AfterTestExecutionCallback tellOnFailure =
            context -> {
                if (context.getExecutionException().isPresent()) {
                    for (HotBackupProcess h : new HotBackupProcess[] {a, b}) {
                        if (h != null) {
                            System.out.println("--- " + h.name() + ":\n" + h.output());
                        }
                    }
                }
            };

    @AfterEach
    void stop() throws Exception {
        a.close();
        b.close();
    }

    @Test
    void eachHostTakesOverTheOthersWork() throws Exception {
        int portA = FreePorts.next();
        int portB = FreePorts.next();
        Path files = work.resolve("shared");
        a =
                host("hostA", "host-a", files)
                        .set("hotbackup.listener.port", portA)
                        .set("hotbackup.backup-location", "127.0.0.1:" + portB);
        b =
                host("hostB", "host-b", files)
                        .set("hotbackup.listener.port", portB)
                        .set("hotbackup.backup-location", "127.0.0.1:" + portA);
        a.start();
        b.start();
        a.awaitStarted();
        b.awaitStarted();
        a.activity()
                .awaitAtLeast(
                        1,
                        WAIT,
                        "\"event\":\"signal\"",
                        "\"host\":\"hostB\"",
                        "\"state\":\"LIVE\"");
        b.activity()
                .awaitAtLeast(
                        1,
                        WAIT,
                        "\"event\":\"signal\"",
                        "\"host\":\"hostA\"",
                        "\"state\":\"LIVE\"");
        Path report = files.resolve("reports/report.txt");
        await().atMost(WAIT)
                .until(
                        () ->
                                Files.exists(report)
                                        && Files.readString(report).contains("report by hostB"));

        b.kill();
        a.activity()
                .awaitAtLeast(
                        1,
                        WAIT,
                        "\"event\":\"takeover\"",
                        "\"host\":\"hostB\"",
                        "daily-report: started");
        await().atMost(WAIT).until(() -> Files.readString(report).contains("report by hostA"));

        b.start().awaitStarted();
        a.activity()
                .awaitAtLeast(
                        1,
                        WAIT,
                        "\"event\":\"release\"",
                        "\"host\":\"hostB\"",
                        "daily-report: stopped");

        a.kill();
        b.activity()
                .awaitAtLeast(
                        1,
                        WAIT,
                        "\"event\":\"takeover\"",
                        "\"host\":\"hostA\"",
                        "records-to-xml: started");
        assertTrue(b.output().contains("Started records-to-xml"), b.output());
    }

    private HotBackupProcess host(String name, String sample, Path files) throws Exception {
        return new HotBackupProcess(name, work.resolve(name), HotBackupProcess.packagedJar())
                .withRoutes(Path.of("samples/file-use-case/routes"))
                .withRoutes(Path.of("samples/symmetric-pair/routes"))
                .withProperties(Path.of("samples/symmetric-pair", sample, "application.properties"))
                .set("hotbackup.listener.threshold", "2s")
                .set("hotbackup.listener.bind-address", "127.0.0.1")
                .set("report.period", "500ms")
                .set("files.dir", files);
    }
}
