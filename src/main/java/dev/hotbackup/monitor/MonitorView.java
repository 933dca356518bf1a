package dev.hotbackup.monitor;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * What an operator sees of one monitored host, read at one instant.
 *
 * @param stateForNanos how long it has been in its state
 * @param heardAgoNanos time since its last accepted frame, or -1 if never heard
 */
public record MonitorView(
        MonitorKey key,
        MonitorState state,
        long stateForNanos,
        Instant stateSince,
        long heardAgoNanos,
        String remoteAddress,
        boolean expected) {

    /** {@code LIVE, heard 42 ms ago} or {@code WAITING, never heard}. */
    public String summary() {
        return state
                + (heardAgoNanos < 0
                        ? ", never heard"
                        : ", heard " + TimeUnit.NANOSECONDS.toMillis(heardAgoNanos) + " ms ago");
    }
}
