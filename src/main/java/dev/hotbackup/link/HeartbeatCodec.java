package dev.hotbackup.link;

/**
 * Writes and reads heartbeat frames, signing and checking them with the shared secret. Stateless:
 * whether a frame was already seen (replay) is decided by the monitor, which remembers each live
 * host's last boot and sequence number.
 */
public final class HeartbeatCodec {

    /** Protocol version spoken by this codec; the first field of every frame. */
    public static final String VERSION = "HB1";

    /** Longest frame accepted, in bytes, without its line terminator. */
    public static final int MAX_FRAME_LENGTH = 1024;

    private static final int FIELDS = 8;

    private final Signer signer;

    /**
     * @param signer signs and checks frames; {@code null} for an unsigned link (only allowed where
     *     the configuration says so)
     */
    public HeartbeatCodec(Signer signer) {
        this.signer = signer;
    }

    /** The frame as one line, without line terminator. */
    public String encode(HeartbeatFrame frame) {
        String body =
                VERSION
                        + ' '
                        + Names.encode(frame.host())
                        + ' '
                        + Names.encode(frame.config())
                        + ' '
                        + frame.state().name()
                        + ' '
                        + frame.boot()
                        + ' '
                        + frame.seq()
                        + ' '
                        + frame.probePort();
        return body + ' ' + (signer == null ? Signer.NONE : signer.sign(body));
    }

    /**
     * Reads one line (without terminator). The signature is checked before any field is
     * interpreted, so a modified field is reported as a bad signature, not as a parse error.
     */
    public Decoded decode(String line) {
        if (line.length() > MAX_FRAME_LENGTH) {
            return Decoded.rejected(
                    RejectReason.OVERSIZED, "line of " + line.length() + " characters");
        }
        String[] f = line.split(" ", -1);
        if (f.length == 0 || !VERSION.equals(f[0])) {
            if (f[0].startsWith("HB") && f[0].length() <= 8) {
                return Decoded.rejected(
                        RejectReason.VERSION,
                        "protocol " + f[0] + " (this listener speaks " + VERSION + ")");
            }
            return Decoded.rejected(RejectReason.MALFORMED, "not a heartbeat frame");
        }
        if (f.length != FIELDS) {
            return Decoded.rejected(
                    RejectReason.MALFORMED, f.length + " fields where " + FIELDS + " are expected");
        }
        String mac = f[FIELDS - 1];
        String body = line.substring(0, line.length() - mac.length() - 1);
        if (signer == null) {
            if (!Signer.NONE.equals(mac)) {
                return Decoded.rejected(
                        RejectReason.SECRET_MISMATCH,
                        "frame is signed but this listener has no hotbackup.secret",
                        claimed(f));
            }
        } else if (Signer.NONE.equals(mac)) {
            return Decoded.rejected(
                    RejectReason.UNSIGNED, "frame carries no signature", claimed(f));
        } else if (!signer.verify(body, mac)) {
            return Decoded.rejected(
                    RejectReason.BAD_SIGNATURE, "signature does not match the frame", claimed(f));
        }

        String host = Names.decode(f[1]);
        String config = Names.decode(f[2]);
        if (host == null || config == null) {
            return Decoded.rejected(RejectReason.MALFORMED, "bad percent-encoding in a name");
        }
        String problem = Names.problem(host);
        if (problem == null) {
            problem = Names.problem(config);
        }
        if (problem != null) {
            return Decoded.rejected(RejectReason.BAD_NAME, problem);
        }
        FrameState state;
        if ("LIVE".equals(f[3])) {
            state = FrameState.LIVE;
        } else if ("CLOSE".equals(f[3])) {
            state = FrameState.CLOSE;
        } else {
            return Decoded.rejected(RejectReason.MALFORMED, "unknown state");
        }
        long boot = parseCounter(f[4]);
        long seq = parseCounter(f[5]);
        long port = parseCounter(f[6]);
        if (boot <= 0 || seq <= 0 || port < 0 || port > 65535) {
            return Decoded.rejected(RejectReason.MALFORMED, "bad boot, sequence or probe port");
        }
        return Decoded.accepted(new HeartbeatFrame(host, config, state, boot, seq, (int) port));
    }

    /** The {@code host/config} an unauthenticated frame names, if it names a valid one. */
    private static String claimed(String[] f) {
        String host = Names.decode(f[1]);
        String config = Names.decode(f[2]);
        if (host == null
                || config == null
                || Names.problem(host) != null
                || Names.problem(config) != null) {
            return null;
        }
        return host + '/' + config;
    }

    /** A non-negative decimal of at most 18 digits, or -1. */
    private static long parseCounter(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return Long.parseLong(s);
    }
}
