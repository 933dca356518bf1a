package dev.hotbackup.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads the activity log (JSON lines) another process writes. */
public final class ActivityFile {

    private final Path file;

    public ActivityFile(Path file) {
        this.file = file;
    }

    public List<String> lines() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank())
                .toList();
    }

    /** Entries containing every fragment. */
    public List<String> matching(String... fragments) throws IOException {
        return lines().stream()
                .filter(
                        l -> {
                            for (String f : fragments) {
                                if (!l.contains(f)) {
                                    return false;
                                }
                            }
                            return true;
                        })
                .toList();
    }

    /** The signal states recorded for one host, in order. */
    public List<String> signals(String host) throws IOException {
        return matching("\"event\":\"signal\"", "\"host\":\"" + host + "\"").stream()
                .map(l -> l.replaceAll(".*\"state\":\"([A-Z]+)\".*", "$1"))
                .toList();
    }

    /** Waits until {@code count} entries contain every fragment; returns them. */
    public List<String> await(int count, Duration timeout, String... fragments) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> found = List.of();
        while (System.nanoTime() < deadline) {
            found = matching(fragments);
            if (found.size() >= count) {
                return found;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        throw new IllegalStateException(
                "expected "
                        + count
                        + " activity entries with "
                        + List.of(fragments)
                        + " within "
                        + timeout
                        + ", found "
                        + found
                        + "; log:\n"
                        + String.join("\n", lines()));
    }
}
