package dev.hotbackup.group;

/** What one member knows of another: from its heartbeats, as its own listener sees them. */
public enum Liveness {
    /** This instance itself, or a member whose heartbeats arrive (LIVE). */
    ALIVE,
    /** DEAD (silent past the threshold, the probe unanswered) or CLOSE (stopped normally). */
    DOWN,
    /** Not heard from since this instance started (WAITING): neither alive nor known dead. */
    UNKNOWN
}
