package dev.hotbackup.support;

import java.time.Duration;

/**
 * At most one log line per period for something that can repeat in bursts, counting the lines left
 * out so the next one can say how many. Not thread-safe: its callers hold a lock or run on one
 * thread.
 */
public final class LogEvery {

    private final long periodNanos;
    private long last;
    private long left;

    public LogEvery(Duration period) {
        this.periodNanos = period.toNanos();
    }

    /**
     * Whether to log now ({@code now} from {@link System#nanoTime}); if not, this one is counted as
     * left out.
     */
    public boolean due(long now) {
        if (last != 0 && now - last < periodNanos) {
            left++;
            return false;
        }
        return true;
    }

    /** After a line was logged: how many were left out before it; the count starts again. */
    public long logged(long now) {
        long n = left;
        last = now | 1;
        left = 0;
        return n;
    }
}
