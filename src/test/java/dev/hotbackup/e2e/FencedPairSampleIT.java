package dev.hotbackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * samples/fenced-pair/run.sh as a user runs it: an H2 server, a live host and its full backup on
 * loopback; the hung live host replaced under a new epoch, fenced on resume, back under a newer
 * one, and a write under an old epoch refused. The script checks each step and exits 0 only if all
 * happened.
 */
class FencedPairSampleIT {

    @Test
    void theSampleRunsEveryStep() throws Exception {
        Path out = Files.createTempFile("fenced-pair", ".log");
        Process p =
                new ProcessBuilder("bash", "samples/fenced-pair/run.sh")
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        try {
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            String log = Files.readString(out, StandardCharsets.UTF_8);
            assertTrue(done, "run.sh did not finish within 120 s:\n" + log);
            assertEquals(0, p.exitValue(), log);
            assertTrue(log.contains("a write under epoch 1 is refused"), log);
            assertTrue(log.contains("Done."), log);
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(out);
        }
    }
}
