package dev.hotbackup.emitter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each run of the live host a boot id larger than any earlier run's, so the listener can
 * refuse frames recorded from an earlier run. The id is the larger of the last id plus one (kept in
 * {@code <state-dir>/boot}) and the wall clock in milliseconds: it keeps growing if the clock goes
 * back between runs, and if the file is lost.
 */
public final class BootCounter {

    private static final Logger LOG = LoggerFactory.getLogger(BootCounter.class);

    private BootCounter() {}

    public static long next(Path stateDir) {
        Path file = stateDir.resolve("boot");
        long last = 0;
        try {
            if (Files.exists(file)) {
                last = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn("Cannot read the boot counter {}: {}; using the clock", file, e.getMessage());
        }
        long boot = Math.max(last + 1, System.currentTimeMillis());
        try {
            Files.createDirectories(stateDir);
            Path tmp = Files.createTempFile(stateDir, "boot", ".tmp");
            Files.writeString(tmp, Long.toString(boot), StandardCharsets.US_ASCII);
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn(
                    "Cannot save the boot counter in {} (hotbackup.state-dir): {}",
                    stateDir,
                    e.getMessage());
        }
        return boot;
    }
}
