package dev.hotbackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.FreezableStorage;
import dev.hotbackup.testing.HotBackupProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guarded route that does not stop: its exchange hangs in a write to storage that stopped
 * answering (a frozen file system), the same storage that holds the lock files, so the holder also
 * cannot renew. It fences at the renew deadline; at nine tenths of the lease the exchange is still
 * in flight: the process halts (exit code 3, once the kernel lets the blocked thread go), or with
 * {@code hotbackup.arbiter.on-stuck=log} it says so and runs on.
 */
class StuckRouteIT {

    private static final String ROUTE =
            """
            # writes to the shared storage every 100 ms: hangs when the storage does
            - route:
                id: stuck
                from:
                  uri: timer:stuck
                  parameters:
                    period: 100
                  steps:
                    - setBody:
                        constant: "x"
                    - to:
                        uri: "file:{{test.storage}}/work"
                        parameters:
                          fileName: out.txt
                          fileExist: Append
            """;

    @TempDir Path tmp;
    FreezableStorage storage;
    HotBackupProcess live;

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (storage != null) {
                storage.thaw(); // or the live process cannot end
            }
            if (live != null) {
                live.close();
            }
        } finally {
            if (storage != null) {
                storage.close();
            }
        }
    }

    private HotBackupProcess start(String onStuck) throws Exception {
        storage = FreezableStorage.mount(tmp.resolve("storage"));
        live =
                new HotBackupProcess("serverA", tmp.resolve("live"), HotBackupProcess.packagedJar())
                        .set("hotbackup.arbiter", "file")
                        .set("hotbackup.arbiter.file.path", storage.path().resolve("locks"))
                        .set("hotbackup.arbiter.lease", "2s")
                        .set("hotbackup.arbiter.routes", "stuck")
                        .set("hotbackup.arbiter.on-stuck", onStuck)
                        .set("test.storage", storage.path());
        Files.writeString(
                live.dir().resolve("routes/stuck.camel.yaml"), ROUTE, StandardCharsets.UTF_8);
        live.start().awaitStarted();
        live.awaitOutput("Lease serverA/base ACTIVE", Duration.ofSeconds(20));
        return live;
    }

    @Test
    void aFencedRouteThatDoesNotStopHaltsTheProcess() throws Exception {
        start("halt");
        long frozen = System.nanoTime();
        storage.freeze();
        live.awaitOutput("halting the process", Duration.ofSeconds(10));
        long decided = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozen);
        assertTrue(decided < 2000 + 1000, "halt decided " + decided + " ms after the freeze");
        assertTrue(
                live.output().contains("still run after losing the lease serverA/base"),
                live.output());
        // The thread inside write(2) on frozen storage sleeps uninterruptibly: not even SIGKILL
        // ends it, so the process finishes exiting only when the storage answers again (and that
        // one write then lands: what the epoch at the resource is for, see docs/fencing.md).
        storage.thaw();
        assertEquals(3, live.exitCode(Duration.ofSeconds(10)), live.output());
    }

    @Test
    void withOnStuckLogTheProcessSaysSoAndRunsOn() throws Exception {
        start("log");
        storage.freeze();
        live.awaitOutput("two instances may run them", Duration.ofSeconds(10));
        assertTrue(live.isAlive(), "still running");
    }
}
