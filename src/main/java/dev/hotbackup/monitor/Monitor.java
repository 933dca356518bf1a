package dev.hotbackup.monitor;

import java.time.Instant;

/**
 * The state of one monitored (host, config). Mutable; every field is guarded by the instance's
 * lock, held by {@link MonitorRegistry} for each decision.
 */
final class Monitor {

    final MonitorKey key;
    MonitorState state = MonitorState.WAITING;

    /** Monotonic time the state was entered. */
    long stateSinceNanos;

    /** Wall-clock time the state was entered, for people. */
    Instant stateSince;

    /** Monotonic time of the last accepted frame; 0 before the first. */
    long lastHeardNanos;

    /** Monotonic time the last probe was answered; 0 if none since the last frame. */
    long lastAnsweredNanos;

    /** Boot and sequence of the last accepted frame: the replay watermark. */
    long boot;

    long seq;

    /** Where the last frame came from and where the host answers probes. */
    String remoteAddress;

    int probePort;

    /** A reconfirm is in flight for the silence that began at {@link #reconfirmBasis}. */
    boolean reconfirming;

    long reconfirmBasis;

    Monitor(MonitorKey key, long now) {
        this.key = key;
        this.stateSinceNanos = now;
        this.stateSince = Instant.now();
    }

    /** The start of the current silence: the last frame or the last answered probe. */
    long quietSince() {
        return Math.max(lastHeardNanos, lastAnsweredNanos);
    }
}
