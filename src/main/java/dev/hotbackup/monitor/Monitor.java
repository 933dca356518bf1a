package dev.hotbackup.monitor;

import dev.hotbackup.probe.ProbeResult;
import java.time.Instant;

/**
 * What the listener knows of one monitored host (host, config). Mutable; every field is guarded by
 * the instance's own lock, which each part holds for each decision ({@link FrameIntake}, {@link
 * Reconfirm}, {@link SilenceTimer}); only {@link Monitors#transition} changes {@link #state}.
 */
final class Monitor {

    /** Where the reconfirm of a silence stands. */
    enum Probe {
        /** No probe out for the current silence. */
        NONE,
        /** A probe is out; its result decides. */
        IN_FLIGHT,
        /**
         * The probe got no valid answer before the threshold: DEAD once the threshold is reached.
         */
        FAILED
    }

    final MonitorKey key;
    MonitorState state = MonitorState.WAITING;

    /** Monotonic time the state was entered. */
    long stateSinceNanos;

    /** Wall-clock time the state was entered, for people. */
    Instant stateSince;

    /** Monotonic time of the last accepted frame; 0 before the first. */
    long lastHeardNanos;

    /** Probes repeated since the last frame after an inconclusive probe on a dropped connection. */
    int disconnectRetries;

    /** Monotonic time the last probe was answered; 0 if none since the last frame. */
    long lastAnsweredNanos;

    /** Boot and sequence of the last accepted frame: the replay watermark. */
    long boot;

    long seq;

    /** Where the last frame came from and where the host answers probes. */
    String remoteAddress;

    int probePort;

    /** The connection ({@code /ip:port}) the last frame came on. */
    String connection;

    /** Where the reconfirm of the current silence stands. */
    Probe probe = Probe.NONE;

    /** The last frame's time when the probe started: a frame since makes its result void. */
    long probeBasis;

    /** What the failed probe said, kept until DEAD is decided at the threshold. */
    ProbeResult probeResult;

    /**
     * Whether the host answered a probe when it became LIVE: only then does a connection it drops
     * lead to an immediate probe. {@code null} until known.
     */
    Boolean probeVerified;

    /** Listed in {@code hotbackup.listener.expect}: silence from the start is DEAD too. */
    boolean expected;

    /** The state saved before this listener restarted, until the host is heard or probed. */
    MonitorState restored;

    Monitor(MonitorKey key, long now) {
        this.key = key;
        this.stateSinceNanos = now;
        this.stateSince = Instant.now();
    }

    /** The start of the current silence: the last frame, answered probe, or entering WAITING. */
    long quietSince() {
        long heard = Math.max(lastHeardNanos, lastAnsweredNanos);
        return state == MonitorState.WAITING ? Math.max(heard, stateSinceNanos) : heard;
    }

    /** The state to save: a restored state not yet confirmed is kept as it was. */
    MonitorState stateToSave() {
        return state == MonitorState.WAITING && restored != null ? restored : state;
    }

    /** This host as the journal saves it. */
    MonitorStore.Saved saved() {
        return new MonitorStore.Saved(
                key, stateToSave(), boot, seq, remoteAddress, probePort, stateSince.toEpochMilli());
    }
}
