package dev.hotbackup.link;

/**
 * The result of reading one line: a frame, or the reason it was refused.
 *
 * @param frame the frame when accepted, otherwise {@code null}
 * @param reason why the line was refused, otherwise {@code null}
 * @param detail a short explanation for the log; never contains the secret
 * @param claimed for a frame refused for its signature, the (host, config) it names, as {@code
 *     host/config}: not proven, shown only to help find a host whose secret differs; otherwise
 *     {@code null}
 */
public record Decoded(HeartbeatFrame frame, RejectReason reason, String detail, String claimed) {

    static Decoded accepted(HeartbeatFrame frame) {
        return new Decoded(frame, null, null, null);
    }

    static Decoded rejected(RejectReason reason, String detail) {
        return new Decoded(null, reason, detail, null);
    }

    static Decoded rejected(RejectReason reason, String detail, String claimed) {
        return new Decoded(null, reason, detail, claimed);
    }

    public boolean isAccepted() {
        return frame != null;
    }
}
