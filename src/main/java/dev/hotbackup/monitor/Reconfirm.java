package dev.hotbackup.monitor;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.probe.ProbeResult;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The final reconfirm before DEAD, on the monitor's side: decides whether a silent host gets a
 * probe, and acts on the probe's result as {@link Verdict} says: not DEAD, DEAD now, DEAD exactly
 * at the threshold unless a frame comes first, or probe again. A frame that arrives while the probe
 * is out makes its result void.
 */
final class Reconfirm {

    private static final Logger LOG = LoggerFactory.getLogger(Reconfirm.class);

    /** Wait before asking again after an inconclusive probe on a dropped connection. */
    private static final long DISCONNECT_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** Where the probe goes, read under the host's lock. */
    record Target(String host, String config, String address, int port) {}

    /** Hands a host to the reconfirm route. */
    interface Sender {
        void reconfirm(String id, Verdict.Cause cause, String connection);
    }

    private final Monitors monitors;
    private final long thresholdNanos;
    private final long leadNanos;
    private final boolean probeOnDisconnect;
    private final BooleanSupplier overloaded;
    private final ActivityLog activity;
    private final Later later;
    private volatile Sender sender;

    /**
     * @param leadNanos how long before the threshold a LIVE host's probe goes out: the probe
     *     timeout and one timer period, so the answer is in when DEAD would be due
     * @param overloaded whether this listener was behind (frames superseded or dropped) within the
     *     threshold
     */
    Reconfirm(
            Monitors monitors,
            long thresholdNanos,
            long leadNanos,
            boolean probeOnDisconnect,
            BooleanSupplier overloaded,
            ActivityLog activity,
            Later later) {
        this.monitors = monitors;
        this.thresholdNanos = thresholdNanos;
        this.leadNanos = leadNanos;
        this.probeOnDisconnect = probeOnDisconnect;
        this.overloaded = overloaded;
        this.activity = activity;
        this.later = later;
    }

    void sender(Sender sender) {
        this.sender = sender;
    }

    long thresholdNanos() {
        return thresholdNanos;
    }

    /** How long before the threshold a host's probe goes out. */
    long lead(Monitor m) {
        return m.state == MonitorState.LIVE ? leadNanos : 0;
    }

    /**
     * Whether a host is silent enough for a probe: a LIVE host {@code lead} before its threshold, a
     * WAITING host that was DEAD before this listener restarted, or an expected one not heard
     * within the threshold.
     */
    boolean due(Monitor m, long now, long lead) {
        long quiet = now - m.quietSince();
        return switch (m.state) {
            case LIVE -> quiet >= thresholdNanos - lead;
            // a host LIVE when this listener stopped is still watched: not heard within the
            // threshold of the restart, it is probed like an expected one (it may have died while
            // this listener was down, or right after, before its heartbeats found it again)
            case WAITING ->
                    m.restored == MonitorState.DEAD
                            || ((m.expected || m.restored == MonitorState.LIVE)
                                    && quiet >= thresholdNanos - Verdict.TOLERANCE_NANOS);
            default -> false;
        };
    }

    /**
     * A host reported silent, by the timer or because its connection closed: where to send the
     * probe, or {@code null} when none is due (one is out, it was heard since, its connection was
     * not the one that closed). A probe that failed earlier is decided instead.
     */
    Target start(String id, Verdict.Cause cause, String connection) {
        Monitor m = id == null ? null : monitors.get(id);
        if (m == null) {
            return null;
        }
        long now = monitors.now();
        synchronized (m) {
            if (m.probe == Monitor.Probe.IN_FLIGHT) {
                return null;
            }
            if (m.probe == Monitor.Probe.FAILED) {
                decide(m, m.probeBasis);
                return null;
            }
            boolean due =
                    cause == Verdict.Cause.DISCONNECT
                            ? m.state == MonitorState.LIVE
                                    && Boolean.TRUE.equals(m.probeVerified)
                                    && m.connection != null
                                    && m.connection.equals(connection)
                            : due(m, now, lead(m) + Verdict.TOLERANCE_NANOS);
            if (!due) {
                return null;
            }
            m.probe = Monitor.Probe.IN_FLIGHT;
            m.probeBasis = m.lastHeardNanos;
            return new Target(m.key.host(), m.key.config(), m.remoteAddress, m.probePort);
        }
    }

    /** The probe's result: acts on the verdict. */
    void result(String id, Verdict.Cause cause, ProbeResult result) {
        Monitor m = id == null ? null : monitors.get(id);
        if (m == null) {
            return;
        }
        long now = monitors.now();
        synchronized (m) {
            if (m.probe != Monitor.Probe.IN_FLIGHT || m.lastHeardNanos != m.probeBasis) {
                // heard while the probe was out: the result says nothing any more
                return;
            }
            m.probe = Monitor.Probe.NONE;
            if (m.state != MonitorState.LIVE && m.state != MonitorState.WAITING) {
                return;
            }
            long quiet = now - m.quietSince();
            Verdict.Outcome v =
                    Verdict.of(
                            new Verdict.Facts(
                                    m.state,
                                    m.restored,
                                    cause,
                                    result,
                                    m.disconnectRetries,
                                    quiet,
                                    now - m.lastHeardNanos,
                                    thresholdNanos,
                                    overloaded.getAsBoolean()));
            String silence = Verdict.seconds(quiet);
            switch (v.decision()) {
                case ANSWERED -> {
                    m.lastAnsweredNanos = now;
                    m.restored = null;
                    LOG.info("{} silent for {} s but answered the probe: not DEAD", m.key, silence);
                    record(m, "silent for " + silence + " s; probe answered");
                }
                case OVERLOADED -> {
                    // this listener drops frames because it cannot keep up: the silence may be
                    // its own, and a probe answer may be late for the same reason
                    m.lastAnsweredNanos = now;
                    LOG.warn(
                            "{} silent for {} s and the probe timed out, but this listener is"
                                    + " overloaded (hotbackup.listener.max-backlog): not DEAD yet",
                            m.key,
                            silence);
                    record(m, "silent for " + silence + " s; probe timed out while overloaded");
                }
                case DEAD_NOW -> {
                    monitors.transition(m, MonitorState.DEAD, v.why(), now);
                    m.restored = null;
                }
                case DEAD_AT_THRESHOLD -> {
                    m.probe = Monitor.Probe.FAILED;
                    m.probeResult = result;
                    long basis = m.probeBasis;
                    later.after(
                            m.lastHeardNanos + thresholdNanos - now,
                            () -> {
                                synchronized (m) {
                                    decide(m, basis);
                                }
                            });
                }
                case RETRY -> {
                    // a process being killed can reset the probe instead of refusing it: ask
                    // again shortly, when its port is gone or it answers
                    m.disconnectRetries++;
                    String connection = m.connection;
                    later.after(
                            DISCONNECT_RETRY_NANOS,
                            () -> send(m.key.id(), Verdict.Cause.DISCONNECT, connection));
                }
                case INCONCLUSIVE ->
                        LOG.info(
                                "{} closed its connection; the probe was not conclusive ({}):"
                                        + " DEAD only after the threshold",
                                m.key,
                                result);
            }
        }
    }

    /**
     * DEAD if the host's probe failed, nothing was heard since the probe left ({@code basis}), and
     * the threshold has passed. The caller holds the monitor's lock.
     */
    void decide(Monitor m, long basis) {
        long now = monitors.now();
        if (m.probe != Monitor.Probe.FAILED
                || !Verdict.deadAtThreshold(
                        m.state,
                        m.lastHeardNanos != basis,
                        now - m.lastHeardNanos,
                        thresholdNanos)) {
            return;
        }
        m.probe = Monitor.Probe.NONE;
        monitors.transition(
                m,
                MonitorState.DEAD,
                Verdict.silentFor(now - m.lastHeardNanos, m.probeResult),
                now);
    }

    /**
     * A connection ({@code /ip:port}) was closed by the other side. A LIVE host whose frames came
     * on it, that did not say CLOSE and whose probe was verified, is probed at once instead of
     * after the threshold: a killed process is DEAD in milliseconds.
     */
    void connectionClosed(String connection) {
        if (!probeOnDisconnect) {
            return;
        }
        for (Monitor m : monitors.all()) {
            boolean probe;
            synchronized (m) {
                probe =
                        m.state == MonitorState.LIVE
                                && connection.equals(m.connection)
                                && Boolean.TRUE.equals(m.probeVerified);
            }
            if (probe) {
                send(m.key.id(), Verdict.Cause.DISCONNECT, connection);
            }
        }
    }

    /** Hands a host to the reconfirm route; returns at once, the probe runs on its own. */
    void send(String id, Verdict.Cause cause, String connection) {
        Sender s = sender;
        if (s != null) {
            s.reconfirm(id, cause, connection);
        }
    }

    private void record(Monitor m, String detail) {
        activity.record("probe", m.key.host(), m.key.config(), m.state.name(), detail);
    }
}
