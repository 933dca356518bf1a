package dev.hotbackup.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs a system command the fixtures need (ip, mount, fsfreeze, ...), bounded in time. */
public final class Command {

    private Command() {}

    /**
     * Runs {@code command} and waits at most 20 s for it; a non-zero exit fails with its output.
     * The output goes to a file, so a command that hangs cannot block a read.
     */
    public static void run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("command", ".log");
        try {
            Process p =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(out.toFile())
                            .start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no answer within 20 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(
                        String.join(" ", command)
                                + ": "
                                + Files.readString(out, StandardCharsets.UTF_8).trim());
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
