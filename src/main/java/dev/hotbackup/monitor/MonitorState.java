package dev.hotbackup.monitor;

import java.util.EnumSet;
import java.util.Set;

/**
 * What the listener believes about one monitored host (host, config). Every transition is
 * signalled; these are all of them, and any other fails loudly ({@link #moveTo}):
 *
 * <ul>
 *   <li>WAITING to LIVE: its first heartbeat;
 *   <li>WAITING to CLOSE: its first frame says it is stopping, or it was CLOSE when this listener
 *       last stopped;
 *   <li>WAITING to DEAD: it is expected ({@code hotbackup.listener.expect}) and not heard within
 *       the threshold, or it was DEAD when this listener last stopped and is still silent; the
 *       probe got no answer either way;
 *   <li>LIVE to DEAD: silent for the threshold and the probe got no answer, or its connection
 *       closed without CLOSE and nothing listens on its probe port any more;
 *   <li>LIVE to CLOSE, DEAD to CLOSE: it says it is stopping;
 *   <li>DEAD to LIVE, CLOSE to LIVE: it heartbeats again.
 * </ul>
 */
public enum MonitorState {
    /** Not heard from since this listener started. Nothing is taken over; no signal yet. */
    WAITING,
    /** Heartbeats arrive. The host runs its own routes; the backup keeps its copies stopped. */
    LIVE,
    /** Silent for the threshold and the probe got no answer. The backup runs the host's routes. */
    DEAD,
    /** The host said it stopped normally. Silence is expected; it is not DEAD. */
    CLOSE;

    private Set<MonitorState> next() {
        return switch (this) {
            case WAITING -> EnumSet.of(LIVE, CLOSE, DEAD);
            case LIVE -> EnumSet.of(DEAD, CLOSE);
            case DEAD -> EnumSet.of(LIVE, CLOSE);
            case CLOSE -> EnumSet.of(LIVE);
        };
    }

    /** Whether a host in this state can move to {@code to}. */
    public boolean canMoveTo(MonitorState to) {
        return next().contains(to);
    }

    /**
     * {@code to}, if a host in this state can move there.
     *
     * @throws IllegalStateException for a transition that cannot happen: a bug, never ignored
     */
    MonitorState moveTo(MonitorState to) {
        if (!canMoveTo(to)) {
            throw new IllegalStateException("no transition from " + this + " to " + to);
        }
        return to;
    }
}
