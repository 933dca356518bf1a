package dev.hotbackup.testing;

import dev.hotbackup.activity.ActivityLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An instance's activity log as tests read it, the same way in the JVM (the live {@link
 * ActivityLog}) and across processes (the file another process writes): its JSON lines, the ones
 * that contain given fragments, and bounded waits whose failure shows the recent log.
 */
public final class ActivityLines {

    private final Supplier<List<String>> lines;

    private ActivityLines(Supplier<List<String>> lines) {
        this.lines = lines;
    }

    /** The log of a Camel context in this JVM. */
    public static ActivityLines of(ActivityLog log) {
        return new ActivityLines(log::recentLines);
    }

    /** The log file another process writes. */
    public static ActivityLines of(Path file) {
        return new ActivityLines(
                () -> {
                    try {
                        return Files.exists(file)
                                ? Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                                        .filter(l -> !l.isBlank())
                                        .toList()
                                : List.of();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** A JSON fragment {@code "key":"value"} as the activity log writes it. */
    public static String field(String key, String value) {
        return "\"" + key + "\":\"" + value + "\"";
    }

    public List<String> lines() {
        return lines.get();
    }

    /** Entries containing every fragment. */
    public List<String> matching(String... fragments) {
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
    public List<String> signals(String host) {
        return matching(field("event", "signal"), field("host", host)).stream()
                .map(l -> l.replaceAll(".*\"state\":\"([A-Z]+)\".*", "$1"))
                .toList();
    }

    /** Waits up to ten seconds until exactly {@code count} entries contain every fragment. */
    public List<String> await(int count, String... fragments) {
        return await(count, Duration.ofSeconds(10), fragments);
    }

    /** Waits until exactly {@code count} entries contain every fragment; returns them. */
    public List<String> await(int count, Duration timeout, String... fragments) {
        until(
                count + " activity entries with " + List.of(fragments),
                timeout,
                () -> matching(fragments).size() == count);
        return matching(fragments);
    }

    /** Waits until at least {@code count} entries contain every fragment; returns them. */
    public List<String> awaitAtLeast(int count, String... fragments) {
        return awaitAtLeast(count, Duration.ofSeconds(10), fragments);
    }

    /** Waits until at least {@code count} entries contain every fragment; returns them. */
    public List<String> awaitAtLeast(int count, Duration timeout, String... fragments) {
        until(
                "at least " + count + " activity entries with " + List.of(fragments),
                timeout,
                () -> matching(fragments).size() >= count);
        return matching(fragments);
    }

    /**
     * Waits until {@code condition} holds and then checks that it keeps holding for {@code during},
     * all within {@code atMost}; a failure names it and shows the recent log.
     */
    public void holds(String what, Duration during, Duration atMost, Callable<Boolean> condition) {
        long start = System.nanoTime();
        until(what, atMost.minus(during), condition);
        long deadline = System.nanoTime() + during.toNanos();
        while (System.nanoTime() < deadline) {
            until(
                    what
                            + " (still, "
                            + Duration.ofNanos(System.nanoTime() - start).toMillis()
                            + " ms in)",
                    Duration.ZERO,
                    condition);
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** Waits until {@code condition} holds; a failure names it and shows the recent log. */
    public void until(String what, Duration timeout, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
                last = null;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() >= deadline) {
                List<String> recent = lines();
                AssertionError failure =
                        new AssertionError(
                                "not within "
                                        + timeout.toMillis()
                                        + " ms: "
                                        + what
                                        + "; the last activity:\n"
                                        + String.join(
                                                "\n",
                                                recent.subList(
                                                        Math.max(0, recent.size() - 30),
                                                        recent.size())));
                if (last != null) {
                    failure.initCause(last);
                }
                throw failure;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
