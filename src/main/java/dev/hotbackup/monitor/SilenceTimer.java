package dev.hotbackup.monitor;

import dev.hotbackup.activity.ActivityLog;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one silence timer of the Backup listener, ticked by the route {@code silence-timer} every
 * {@code hotbackup.listener.check-interval} on the monotonic clock (Camel's {@code scheduler:}).
 * Each tick names the hosts due for a probe: a LIVE host a probe timeout before its threshold (so
 * the answer is in when DEAD would be due), an expected host never heard, a host that was DEAD when
 * this listener last stopped. It also decides the failed probes whose threshold has come, forgets
 * hosts DEAD or CLOSE for longer than the retention, and saves the state.
 */
public final class SilenceTimer {

    private static final Logger LOG = LoggerFactory.getLogger(SilenceTimer.class);

    private final Monitors monitors;
    private final Reconfirm reconfirm;
    private final Journal journal;
    private final FrameIntake intake;
    private final ActivityLog activity;
    private final long retentionNanos;
    private final BooleanSupplier running;
    private final List<Monitor> restoredClose = new ArrayList<>();

    /**
     * @param running whether the routes run: signals are published only then
     */
    SilenceTimer(
            Monitors monitors,
            Reconfirm reconfirm,
            Journal journal,
            FrameIntake intake,
            ActivityLog activity,
            long retentionNanos,
            BooleanSupplier running) {
        this.monitors = monitors;
        this.reconfirm = reconfirm;
        this.journal = journal;
        this.intake = intake;
        this.activity = activity;
        this.retentionNanos = retentionNanos;
        this.running = running;
    }

    /**
     * Hosts that were CLOSE when this listener stopped: CLOSE is signalled again on the first tick.
     */
    synchronized void restoredClose(List<Monitor> close) {
        restoredClose.addAll(close);
    }

    /** One tick; returns the ids ({@link MonitorKey#id()}) of the hosts sent to the reconfirm. */
    public List<String> tick() {
        if (!running.getAsBoolean()) {
            return List.of();
        }
        publishRestoredClose();
        long now = monitors.now();
        List<String> due = new ArrayList<>();
        List<Monitor> old = new ArrayList<>();
        for (Monitor m : monitors.all()) {
            synchronized (m) {
                if (m.probe == Monitor.Probe.FAILED) {
                    reconfirm.decide(m, m.probeBasis);
                } else if (m.probe == Monitor.Probe.NONE
                        && reconfirm.due(m, now, reconfirm.lead(m))) {
                    due.add(m.key.id());
                } else if ((m.state == MonitorState.DEAD || m.state == MonitorState.CLOSE)
                        && now - m.stateSinceNanos >= retentionNanos
                        && !m.expected) {
                    old.add(m);
                }
            }
        }
        for (String id : due) {
            reconfirm.send(id, Verdict.Cause.SILENCE, null);
        }
        for (Monitor m : old) {
            forget(m);
        }
        journal.saveIfDue(now, intake::watermarkMoved);
        intake.reportQuietRejections();
        return due;
    }

    private void forget(Monitor m) {
        if (!monitors.forget(m)) {
            return;
        }
        journal.forgot();
        LOG.info(
                "Forgot {}: {} since {} (hotbackup.listener.retention)",
                m.key,
                m.state,
                m.stateSince);
        activity.record(
                "evicted",
                m.key.host(),
                m.key.config(),
                m.state.name(),
                m.state + " since " + m.stateSince);
    }

    private void publishRestoredClose() {
        List<Monitor> close;
        synchronized (this) {
            if (restoredClose.isEmpty()) {
                return;
            }
            close = new ArrayList<>(restoredClose);
            restoredClose.clear();
        }
        for (Monitor m : close) {
            synchronized (m) {
                if (m.state == MonitorState.WAITING && m.restored == MonitorState.CLOSE) {
                    monitors.transition(
                            m,
                            MonitorState.CLOSE,
                            "was CLOSE when the listener restarted",
                            monitors.now());
                    m.restored = null;
                }
            }
        }
    }
}
