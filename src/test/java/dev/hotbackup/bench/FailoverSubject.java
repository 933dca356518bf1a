package dev.hotbackup.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;

/**
 * A pair whose live side the benchmark kills: the time from the kill to the first file processed by
 * the takeover route on the other side is the failover time. Both subjects run the same file route
 * (poll every 20 ms, no initial delay) and write the time they processed the trial file.
 */
abstract class FailoverSubject implements AutoCloseable {

    final Path files;

    FailoverSubject(Path dir) throws Exception {
        this.files = Files.createDirectories(dir.resolve("files"));
        Files.createDirectories(files.resolve("inbox"));
    }

    /** Brings the host to the state before a kill: the live side running, the takeover idle. */
    abstract void ready() throws Exception;

    /** Does {@code kill} to the live side; returns the wall-clock time just before. */
    abstract long kill(Kill kill) throws Exception;

    /** Clears up after a trial (a hung process is killed, roles may change). */
    abstract void after(Kill kill) throws Exception;

    /** One trial: failover time in ms, or -1 if nothing was processed within {@code bound}. */
    long trial(Kill kill, int n, Duration bound) throws Exception {
        ready();
        String name = "trial-" + n + ".txt";
        long t0 = kill(kill);
        Path tmp = files.resolve("inbox").resolve(name + ".part");
        Files.writeString(tmp, "trial " + n);
        Files.move(tmp, files.resolve("inbox").resolve(name));
        Path out = files.resolve("out").resolve(name);
        long deadline = System.nanoTime() + bound.toNanos();
        long result = -1;
        while (System.nanoTime() < deadline) {
            if (Files.exists(out)) {
                String at = Files.readString(out).trim();
                if (!at.isEmpty()) {
                    result = OffsetDateTime.parse(at).toInstant().toEpochMilli() - t0;
                    break;
                }
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
        Files.deleteIfExists(files.resolve("inbox").resolve(name));
        after(kill);
        return result;
    }

    /** The takeover route's body: when it processed the file, to the millisecond. */
    static final String STAMP = "${date:now:yyyy-MM-dd'T'HH:mm:ss.SSSXXX}";
}
