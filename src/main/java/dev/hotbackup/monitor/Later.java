package dev.hotbackup.monitor;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The monitor's one thread for what must happen later than now: a DEAD decided exactly at the
 * threshold, a probe asked again, verification probes. Runs on the monotonic clock. Nothing is
 * scheduled before start or after stop.
 */
final class Later {

    private volatile ScheduledExecutorService executor;

    void start(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Stops scheduling; returns the executor so its owner can shut it down. */
    ScheduledExecutorService stop() {
        ScheduledExecutorService e = executor;
        executor = null;
        return e;
    }

    /** Runs {@code task} after {@code nanos}; does nothing once stopped. */
    void after(long nanos, Runnable task) {
        ScheduledExecutorService e = executor;
        if (e == null) {
            return;
        }
        try {
            e.schedule(task, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            // stopping
        }
    }

    /** Runs {@code task} on this thread as soon as possible; does nothing once stopped. */
    void soon(Runnable task) {
        after(0, task);
    }
}
