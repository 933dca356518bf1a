package dev.hotbackup.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * A sample's {@code run.sh}, run as a user runs it: it checks each step and exits 0 only if all
 * happened.
 */
public final class SampleScript {

    private SampleScript() {}

    /**
     * Runs {@code samples/<sample>/run.sh}, at most 120 s, and asserts it finished with exit code
     * 0.
     *
     * @return what it printed, for the caller's own checks
     */
    public static String run(String sample) throws Exception {
        // the samples use fixed ports on loopback: one at a time, also across the test JVMs
        try (FileChannel lock =
                        FileChannel.open(
                                Path.of("target/samples.lock"),
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE);
                FileLock held = lock.lock()) {
            return runAlone(sample);
        }
    }

    private static String runAlone(String sample) throws Exception {
        Path out = Files.createTempFile(sample, ".log");
        Process p =
                new ProcessBuilder("bash", "samples/" + sample + "/run.sh")
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        try {
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            String log = Files.readString(out, StandardCharsets.UTF_8);
            assertTrue(done, "run.sh did not finish within 120 s:\n" + log);
            assertEquals(0, p.exitValue(), log);
            return log;
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(out);
        }
    }
}
