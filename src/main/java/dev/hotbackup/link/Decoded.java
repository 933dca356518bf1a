package dev.hotbackup.link;

/**
 * The result of reading one line: a frame, or the reason it was refused.
 *
 * @param frame the frame when accepted, otherwise {@code null}
 * @param reason why the line was refused, otherwise {@code null}
 * @param detail a short explanation for the log; never contains the secret
 */
public record Decoded(HeartbeatFrame frame, RejectReason reason, String detail) {

    static Decoded accepted(HeartbeatFrame frame) {
        return new Decoded(frame, null, null);
    }

    static Decoded rejected(RejectReason reason, String detail) {
        return new Decoded(null, reason, detail);
    }

    public boolean isAccepted() {
        return frame != null;
    }
}
