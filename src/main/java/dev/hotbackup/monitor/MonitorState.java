package dev.hotbackup.monitor;

/**
 * What the listener believes about one monitored (host, config). Transitions: WAITING to LIVE or
 * CLOSE; LIVE to DEAD or CLOSE; DEAD to LIVE or CLOSE; CLOSE to LIVE. Every transition except out
 * of WAITING-by-silence is signalled.
 */
public enum MonitorState {
    /** Not heard from since this listener started. Nothing is taken over; no signal yet. */
    WAITING,
    /** Heartbeats arrive. The host runs its own routes; the backup keeps its copies stopped. */
    LIVE,
    /** Silent for the threshold and the probe got no answer. The backup runs the host's routes. */
    DEAD,
    /** The host said it stopped normally. Silence is expected; it is not DEAD. */
    CLOSE
}
