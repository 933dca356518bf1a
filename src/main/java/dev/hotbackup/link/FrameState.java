package dev.hotbackup.link;

/** What a live host says about itself in a heartbeat frame. */
public enum FrameState {
    /** The host is running; the listener restarts its silence timer. */
    LIVE,
    /** The host is stopping normally; silence after this is not DEAD. */
    CLOSE
}
