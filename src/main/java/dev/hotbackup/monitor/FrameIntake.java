package dev.hotbackup.monitor;

import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatFrame;
import dev.hotbackup.link.RejectReason;
import dev.hotbackup.link.Rejections;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Takes each accepted frame: refuses hosts outside the allow-list and frames that are not newer
 * than the last of their host (replays, earlier runs), and advances the host's state: its first
 * frame, or the first after DEAD or CLOSE, makes it LIVE; a CLOSE frame makes it CLOSE.
 */
final class FrameIntake {

    private final Monitors monitors;
    private final AllowList allow;
    private final Rejections rejections;
    private final LongAdder accepted = new LongAdder();
    private final AtomicBoolean watermarkMoved = new AtomicBoolean();

    FrameIntake(Monitors monitors, AllowList allow, Rejections rejections) {
        this.monitors = monitors;
        this.allow = allow;
        this.rejections = rejections;
    }

    /**
     * One frame that passed the codec (version, signature, fields).
     *
     * @param source the connection it came on ({@code /ip:port})
     * @param address the sender's IP address, where its probe is sent
     */
    void accept(HeartbeatFrame frame, String source, String address) {
        MonitorKey key = new MonitorKey(frame.host(), frame.config());
        if (!allow.allows(frame.host(), frame.config())) {
            rejections.rejectOnce(
                    RejectReason.NOT_ALLOWED,
                    key + " is not in hotbackup.listener.allow",
                    source,
                    address + ' ' + key.id());
            return;
        }
        String id = key.id();
        long[] mark = monitors.forgottenMark(id);
        if (mark != null && !newer(frame, mark[0], mark[1])) {
            // a forgotten host: its old frames must not bring it back
            rejections.reject(
                    RejectReason.REPLAYED,
                    key
                            + " boot "
                            + frame.boot()
                            + " sequence "
                            + frame.seq()
                            + " is not newer than before it was forgotten",
                    source);
            return;
        }
        long now = monitors.now();
        Monitor m = monitors.getOrCreate(key, id, now);
        synchronized (m) {
            if (!newer(frame, m.boot, m.seq)) {
                if (frame.boot() < m.boot) {
                    rejections.reject(
                            RejectReason.STALE_BOOT,
                            key + " boot " + frame.boot() + " is older than boot " + m.boot,
                            source);
                } else {
                    rejections.reject(
                            RejectReason.REPLAYED,
                            key + " sequence " + frame.seq() + " already seen (last " + m.seq + ")",
                            source);
                }
                return;
            }
            m.boot = frame.boot();
            m.seq = frame.seq();
            m.lastHeardNanos = now;
            m.lastAnsweredNanos = 0;
            m.probe = Monitor.Probe.NONE;
            m.disconnectRetries = 0;
            m.remoteAddress = address;
            m.connection = source;
            m.probePort = frame.probePort();
            watermarkMoved.set(true);
            if (frame.state() == FrameState.CLOSE) {
                if (m.state != MonitorState.CLOSE) {
                    monitors.transition(
                            m, MonitorState.CLOSE, "the host is stopping normally", now);
                }
            } else if (m.state != MonitorState.LIVE) {
                monitors.transition(m, MonitorState.LIVE, whyLive(m), now);
            }
            m.restored = null;
            accepted.increment();
        }
    }

    private static String whyLive(Monitor m) {
        return switch (m.state) {
            case WAITING ->
                    m.restored != null
                            ? "first heartbeat since the listener restarted"
                            : "first heartbeat";
            case DEAD -> "heartbeats again after DEAD";
            default -> "heartbeats again after CLOSE";
        };
    }

    /**
     * Whether the frame comes after the watermark (boot, sequence): a later run, or later in it.
     */
    static boolean newer(HeartbeatFrame frame, long boot, long seq) {
        return frame.boot() > boot || (frame.boot() == boot && frame.seq() > seq);
    }

    /** Frames accepted since start. */
    long accepted() {
        return accepted.sum();
    }

    /** Whether a replay watermark moved since the last call (the journal saves it then). */
    boolean watermarkMoved() {
        return watermarkMoved.getAndSet(false);
    }

    /** Refusals kept quiet whose reporting window is over: said now, not at the next refusal. */
    void reportQuietRejections() {
        rejections.flush();
    }
}
