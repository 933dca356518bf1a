package dev.hotbackup.link;

/**
 * Why the listener refused a frame or a connection. Every rejection is counted under its {@link
 * #code()}; none of them changes the state of a monitor.
 */
public enum RejectReason {
    /**
     * The line was longer than the frame limit; its bytes were discarded up to the next newline.
     */
    OVERSIZED("oversized"),
    /** The line held bytes that are not printable ASCII (NUL, control bytes, non-ASCII). */
    ENCODING("encoding"),
    /** The line is not a frame: wrong field count, bad number, bad percent-encoding. */
    MALFORMED("malformed"),
    /** The line is a frame of a protocol version this listener does not speak. */
    VERSION("version"),
    /** A secret is configured here but the frame carries no signature. */
    UNSIGNED("unsigned"),
    /** The signature does not match the frame under this listener's secret. */
    BAD_SIGNATURE("bad-signature"),
    /** The frame is signed but this listener has no secret to check it with. */
    SECRET_MISMATCH("secret-mismatch"),
    /** Host or config is empty, too long, or holds characters XML cannot carry. */
    BAD_NAME("bad-name"),
    /** The sequence number was already seen in this run of the live host. */
    REPLAYED("replayed"),
    /** The frame belongs to an earlier run of the live host than one already heard. */
    STALE_BOOT("stale-boot"),
    /** The (host, config) is not in {@code hotbackup.listener.allow}. */
    NOT_ALLOWED("not-allowed"),
    /** The connection would exceed {@code hotbackup.listener.max-connections[-per-address]}. */
    TOO_MANY_CONNECTIONS("too-many-connections"),
    /** The connection sent no complete line for {@code hotbackup.listener.idle-timeout}. */
    IDLE("idle"),
    /**
     * The listener is behind (its queue of {@code hotbackup.listener.max-backlog} frames filled)
     * and a newer frame of the same connection and host came before this one was handled: only the
     * newest is handled, the older one is counted here.
     */
    SUPERSEDED("superseded"),
    /**
     * The listener is behind on more hosts than {@code hotbackup.listener.max-backlog} allows: it
     * drops new frames (the next one supersedes them) instead of running out of memory.
     */
    OVERLOADED("overloaded");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    /** Whether the frame was refused for its signature: the secrets of the two hosts differ. */
    public boolean isSignature() {
        return this == UNSIGNED || this == BAD_SIGNATURE || this == SECRET_MISMATCH;
    }

    /** Whether a whole connection was refused, rather than one frame. */
    public boolean isConnection() {
        return this == TOO_MANY_CONNECTIONS || this == IDLE;
    }

    /** The stable name used in counters, logs and the activity log. */
    public String code() {
        return code;
    }
}
