package dev.hotbackup.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;

/**
 * What the instance under test recorded in its activity log ({@code
 * hotbackup.listener.activity-log-file}, one JSON object a line: signals, takeovers, releases,
 * mail, refused frames) since this object was made, for assertions such as "serverA's takeover was
 * recorded once". The file is appended to across runs; what came before is not counted.
 */
public final class ActivityLog {

    private final Path file;
    private final int from;

    private ActivityLog(Path file) {
        this.file = file;
        this.from = all().size();
    }

    /** The activity log of the instance running in {@code context}, from now on. */
    public static ActivityLog of(CamelContext context) {
        return new ActivityLog(
                Path.of(
                        context.resolvePropertyPlaceholders(
                                "{{hotbackup.listener.activity-log-file:logs/hotbackup-activity.log}}")));
    }

    /** Every entry since this object was made. */
    public List<String> lines() {
        List<String> all = all();
        return all.subList(Math.min(from, all.size()), all.size());
    }

    private List<String> all() {
        try {
            return Files.isRegularFile(file)
                    ? Files.readAllLines(file, StandardCharsets.UTF_8)
                    : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The entries of {@code event} ({@code signal}, {@code takeover}, {@code release}, {@code
     * mail-sent}, {@code rejected}, ...) about {@code host}, in order.
     */
    public List<String> entries(String event, String host) {
        String e = "\"event\":\"" + event + "\"";
        String h = "\"host\":\"" + host + "\"";
        return lines().stream().filter(l -> l.contains(e) && l.contains(h)).toList();
    }

    /**
     * Waits until at least one entry of {@code event} about {@code host} is there and returns them
     * all; fails after {@code atMost} showing the last entries.
     */
    public List<String> await(Duration atMost, String event, String host)
            throws InterruptedException {
        Await.poll(
                "no " + event + " of " + host + " in " + file,
                atMost,
                () -> {
                    if (!entries(event, host).isEmpty()) {
                        return null;
                    }
                    List<String> all = lines();
                    return "the last entries: "
                            + all.subList(Math.max(0, all.size() - 5), all.size());
                });
        return entries(event, host);
    }

    /** The file it reads, as the instance resolved it. */
    public Path file() {
        return file;
    }
}
