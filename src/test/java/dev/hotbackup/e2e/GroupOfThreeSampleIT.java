package dev.hotbackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * samples/group-of-three/run.sh as a user runs it: an H2 server and an active-active group of three
 * on loopback; a member killed and its work and the master role taken over, a move to a dead member
 * refused, the member back with its work, an operator's move and its return. The script checks each
 * step and exits 0 only if all happened.
 */
class GroupOfThreeSampleIT {

    @Test
    void theSampleRunsEveryStep() throws Exception {
        Path out = Files.createTempFile("group-of-three", ".log");
        Process p =
                new ProcessBuilder("bash", "samples/group-of-three/run.sh")
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        try {
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            String log = Files.readString(out, StandardCharsets.UTF_8);
            assertTrue(done, "run.sh did not finish within 120 s:\n" + log);
            assertEquals(0, p.exitValue(), log);
            assertTrue(log.contains("hostB runs hostA's orders and is the master now"), log);
            assertTrue(log.contains("and back to hostC"), log);
            assertTrue(log.contains("Done."), log);
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(out);
        }
    }
}
