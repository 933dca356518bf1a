package dev.hotbackup.monitor;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.probe.ProbeResult;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes each host as it becomes LIVE, to know whether its probe port answers: only then does a
 * connection it drops lead to a probe at once (a killed process is DEAD in milliseconds), so a
 * probe port that a firewall refuses cannot cause a false DEAD. At most {@link #CONCURRENCY} probes
 * are out at once: ten thousand hosts that become LIVE together must not open ten thousand
 * connections together.
 */
final class Verifier implements MonitorListener {

    private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);

    /** Recorded when a host that became LIVE answered its first probe. */
    static final String VERIFIED =
            "probe answered on becoming LIVE: a dropped connection fails over at once";

    /** How often a host that became LIVE is probed before its probe port is deemed unusable. */
    static final int ATTEMPTS = 3;

    /** Verification probes out at once; the others wait their turn. */
    static final int CONCURRENCY = 16;

    private final Monitors monitors;
    private final Prober prober;
    private final ActivityLog activity;
    private final Later later;
    private final boolean enabled;
    private final Semaphore slots = new Semaphore(CONCURRENCY);
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();

    /**
     * @param enabled {@code hotbackup.listener.probe-on-disconnect}: without it, nothing to verify
     */
    Verifier(Monitors monitors, Prober prober, ActivityLog activity, Later later, boolean enabled) {
        this.monitors = monitors;
        this.prober = prober;
        this.activity = activity;
        this.later = later;
        this.enabled = enabled;
    }

    @Override
    public void changed(MonitorEvent event) {
        if (event.to() == MonitorState.LIVE) {
            Monitor m = monitors.get(event.key());
            if (m != null) {
                verify(m, 1);
            }
        }
    }

    /** Called with the monitor's lock held. */
    private void verify(Monitor m, int attempt) {
        if (!enabled || m.probePort == 0 || m.remoteAddress == null) {
            m.probeVerified = Boolean.FALSE;
            return;
        }
        queue.add(() -> send(m, attempt));
        later.soon(this::drain);
    }

    /** Starts queued probes while slots are free; runs on the scheduler, holding no lock. */
    private void drain() {
        while (!queue.isEmpty() && slots.tryAcquire()) {
            Runnable next = queue.poll();
            if (next == null) {
                slots.release();
                return;
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                slots.release();
                LOG.warn("Verification probe not sent: {}", e.toString());
            }
        }
    }

    private void send(Monitor m, int attempt) {
        String address;
        int port;
        synchronized (m) {
            if (m.state != MonitorState.LIVE) {
                slots.release();
                later.soon(this::drain);
                return;
            }
            address = m.remoteAddress;
            port = m.probePort;
        }
        prober.probe(
                address,
                port,
                m.key.host(),
                m.key.config(),
                result -> {
                    slots.release();
                    try {
                        verified(m, attempt, address, port, result);
                    } finally {
                        later.soon(this::drain);
                    }
                });
    }

    private void verified(Monitor m, int attempt, String address, int port, ProbeResult result) {
        synchronized (m) {
            if (result.isAnswered()) {
                m.probeVerified = Boolean.TRUE;
                activity.record("probe", m.key.host(), m.key.config(), m.state.name(), VERIFIED);
                return;
            }
            m.probeVerified = Boolean.FALSE;
            if (attempt < ATTEMPTS && m.state == MonitorState.LIVE) {
                // a host that just started may not answer yet: ask again a bit later
                later.after(
                        TimeUnit.SECONDS.toNanos(attempt * 2L),
                        () -> {
                            synchronized (m) {
                                if (m.state == MonitorState.LIVE) {
                                    verify(m, attempt + 1);
                                }
                            }
                        });
                return;
            }
            LOG.warn(
                    "{} does not answer the reconfirm probe on {}:{} ({}): a dropped connection"
                            + " will not fail it over before the threshold",
                    m.key,
                    address,
                    port,
                    result);
        }
    }
}
