package dev.hotbackup.monitor;

import dev.hotbackup.probe.ProbeResult;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The DEAD decision, as a pure function of what is known when a probe's result comes in: no clock,
 * no lock, no Camel. {@link Reconfirm} and {@link SilenceTimer} act on what it says.
 */
final class Verdict {

    /** Probes asked again after an inconclusive probe on a dropped connection. */
    static final int DISCONNECT_RETRIES = 3;

    /** Slack between the timer's granularity and the monotonic clock. */
    static final long TOLERANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private Verdict() {}

    /** Why a probe was sent. */
    enum Cause {
        /** The silence timer found the host silent (near or past the threshold). */
        SILENCE,
        /** The host's heartbeat connection closed without a CLOSE frame. */
        DISCONNECT
    }

    /** What to do with the host. */
    enum Decision {
        /** It answered: alive, whatever the silence. */
        ANSWERED,
        /** It timed out while this listener drops frames: the silence may be ours; not DEAD. */
        OVERLOADED,
        /** DEAD now. */
        DEAD_NOW,
        /** DEAD when the threshold is reached, unless a frame comes first. */
        DEAD_AT_THRESHOLD,
        /** Probe again shortly (a dying process can reset the probe instead of refusing it). */
        RETRY,
        /** Not conclusive: leave it to the threshold. */
        INCONCLUSIVE
    }

    /**
     * The facts a probe's result is judged on.
     *
     * @param state the host's state now: LIVE or WAITING (others are never probed)
     * @param restored the state saved before this listener restarted, while unconfirmed, or null
     * @param retries probes already repeated for this dropped connection
     * @param quietNanos time since the host was last heard, answered a probe, or (WAITING) since
     *     this listener started
     * @param sinceHeardNanos time since its last frame: DEAD is due when this reaches the threshold
     * @param overloaded whether this listener was behind (frames superseded or dropped) within the
     *     threshold
     */
    record Facts(
            MonitorState state,
            MonitorState restored,
            Cause cause,
            ProbeResult result,
            int retries,
            long quietNanos,
            long sinceHeardNanos,
            long thresholdNanos,
            boolean overloaded) {}

    /**
     * The decision, and when DEAD now, why (for the signal).
     *
     * @param why for people: the silence and what the probe found; empty unless DEAD now
     */
    record Outcome(Decision decision, String why) {}

    static Outcome of(Facts f) {
        if (f.result().isAnswered()) {
            return new Outcome(Decision.ANSWERED, "");
        }
        String probe = "; probe: " + f.result().text();
        if (f.state() == MonitorState.WAITING) {
            return new Outcome(
                    Decision.DEAD_NOW,
                    (f.restored() == MonitorState.DEAD
                                    ? "still silent after the listener restarted"
                                    : "not heard in "
                                            + seconds(f.quietNanos())
                                            + " s since the listener started")
                            + probe);
        }
        if (f.cause() == Cause.DISCONNECT) {
            if (f.result().outcome() == ProbeResult.Outcome.REFUSED) {
                return new Outcome(Decision.DEAD_NOW, "connection closed without CLOSE" + probe);
            }
            return new Outcome(
                    f.retries() < DISCONNECT_RETRIES ? Decision.RETRY : Decision.INCONCLUSIVE, "");
        }
        if (f.result().outcome() == ProbeResult.Outcome.TIMED_OUT && f.overloaded()) {
            return new Outcome(Decision.OVERLOADED, "");
        }
        if (f.sinceHeardNanos() >= f.thresholdNanos() - TOLERANCE_NANOS) {
            return new Outcome(Decision.DEAD_NOW, silentFor(f.sinceHeardNanos(), f.result()));
        }
        return new Outcome(Decision.DEAD_AT_THRESHOLD, "");
    }

    /**
     * Whether a LIVE host whose probe failed is DEAD now: nothing heard since the probe left, and
     * the threshold reached.
     */
    static boolean deadAtThreshold(
            MonitorState state, boolean heardSince, long silenceNanos, long thresholdNanos) {
        return state == MonitorState.LIVE
                && !heardSince
                && silenceNanos >= thresholdNanos - TOLERANCE_NANOS;
    }

    /** Why a LIVE host is DEAD at the threshold. */
    static String silentFor(long silenceNanos, ProbeResult result) {
        return "silent for " + seconds(silenceNanos) + " s; probe: " + result.text();
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }
}
