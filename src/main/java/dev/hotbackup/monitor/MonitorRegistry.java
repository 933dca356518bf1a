package dev.hotbackup.monitor;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.link.FrameDecoders;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.HeartbeatFrame;
import dev.hotbackup.link.Rejections;
import dev.hotbackup.signal.Signal;
import dev.hotbackup.signal.SignalPublisher;
import dev.hotbackup.signal.SignalState;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The monitor of the Backup listener, put together: the state holder ({@link Monitors}) with its
 * listeners (journal, verifier, signal publisher), the frame intake, the reconfirm, the silence
 * timer and the bean the routes call. Starts and stops them in order, and is what the status,
 * health, metrics and operator read.
 */
public final class MonitorRegistry extends ServiceSupport {

    /** Recorded when a host that became LIVE answered its first probe. */
    public static final String VERIFIED = Verifier.VERIFIED;

    /**
     * What the monitor is told at start.
     *
     * @param thresholdNanos silence tolerated before the reconfirm
     * @param checkIntervalNanos period of the silence timer
     * @param allow hosts accepted
     * @param expect hosts that are DEAD if never heard within the threshold after start
     * @param stateFile where the state survives restarts; {@code null} to keep it in memory only
     * @param probeTimeoutNanos how long a probe may take; it is sent this long before the threshold
     * @param probeOnDisconnect probe at once when a host's connection closes without CLOSE
     * @param retentionNanos hosts DEAD or CLOSE this long are forgotten
     */
    public record Options(
            long thresholdNanos,
            long checkIntervalNanos,
            AllowList allow,
            List<MonitorKey> expect,
            Path stateFile,
            long probeTimeoutNanos,
            boolean probeOnDisconnect,
            long retentionNanos) {}

    private final Options options;
    private final CamelContext camelContext;
    private final Monitors monitors;
    private final Journal journal;
    private final FrameIntake intake;
    private final Reconfirm reconfirm;
    private final SilenceTimer timer;
    private final MonitorBean bean;
    private final Later later = new Later();
    private final FrameDecoders.Backlog backlog;

    public MonitorRegistry(
            Options options,
            SignalPublisher publisher,
            Rejections rejections,
            ActivityLog activity,
            FrameDecoders.Backlog backlog,
            HeartbeatCodec codec,
            CamelContext camelContext,
            LongSupplier clock,
            Prober prober) {
        this.options = options;
        this.backlog = backlog;
        this.camelContext = camelContext;
        this.monitors = new Monitors(clock);
        this.journal = new Journal(options.stateFile(), monitors);
        monitors.listen(journal);
        monitors.listen(
                new Verifier(monitors, prober, activity, later, options.probeOnDisconnect()));
        monitors.listen(
                e ->
                        publisher.publish(
                                new Signal(
                                        e.key().host(),
                                        e.key().config(),
                                        SignalState.valueOf(e.to().name()),
                                        e.time(),
                                        e.detail())));
        this.intake = new FrameIntake(monitors, options.allow(), rejections);
        this.reconfirm =
                new Reconfirm(
                        monitors,
                        options.thresholdNanos(),
                        options.probeTimeoutNanos() + options.checkIntervalNanos(),
                        options.probeOnDisconnect(),
                        () -> backlog.behindWithin(options.thresholdNanos()),
                        activity,
                        later);
        this.timer =
                new SilenceTimer(
                        monitors,
                        reconfirm,
                        journal,
                        intake,
                        activity,
                        options.retentionNanos(),
                        camelContext::isStarted);
        this.bean = new MonitorBean(intake, reconfirm, rejections, codec, camelContext);
        backlog.drainInto(bean::line);
    }

    /** What the listener's routes call (bound as {@code monitors}). */
    public MonitorBean bean() {
        return bean;
    }

    /** What the {@code silence-timer} route ticks (bound as {@code silenceTimer}). */
    public SilenceTimer timer() {
        return timer;
    }

    /**
     * A heartbeat that came by another way than the listener's port (the database link): taken as
     * an accepted frame, with the same rules (allow-list, newer than the last, LIVE and CLOSE). It
     * has no sender address, so no reconfirm probe goes to it.
     *
     * @param source where it came from, for the activity log ({@code jdbc:hotbackup_heartbeat})
     */
    public void heard(HeartbeatFrame frame, String source) {
        intake.accept(frame, source, null);
    }

    /**
     * A connection ({@code /ip:port}) was closed by the other side: its LIVE hosts are probed at
     * once.
     */
    public void connectionClosed(String connection) {
        if (isStarted()) {
            reconfirm.connectionClosed(connection);
        }
    }

    /** The state of one host, or {@code null} if never heard of. */
    public MonitorState stateOf(String host, String config) {
        Monitor m = monitors.get(new MonitorKey(host, config));
        if (m == null) {
            return null;
        }
        synchronized (m) {
            return m.state;
        }
    }

    /**
     * The monotonic time one host entered its current state, or -1 if unknown: lets a caller tell
     * whether a host stayed in a state since it last looked.
     */
    public long stateSinceNanos(MonitorKey key) {
        Monitor m = monitors.get(key);
        if (m == null) {
            return -1;
        }
        synchronized (m) {
            return m.stateSinceNanos;
        }
    }

    /** Every host this listener knows, sorted by host then config. */
    public List<MonitorView> views() {
        return monitors.views();
    }

    /** One host's view, or {@code null} if never heard of. */
    public MonitorView view(MonitorKey key) {
        Monitor m = monitors.get(key);
        return m == null ? null : Monitors.view(m, monitors.now());
    }

    /** The hosts this listener knows, unordered, without reading their state. */
    public Set<MonitorKey> keys() {
        Set<MonitorKey> out = new HashSet<>();
        for (Monitor m : monitors.all()) {
            out.add(m.key);
        }
        return out;
    }

    /** Frames accepted since start (every refused one is counted by {@link Rejections}). */
    public long accepted() {
        return intake.accepted();
    }

    /** Frames received and waiting in the listener's lanes now: a listener falling behind. */
    public int waiting() {
        return backlog.waiting();
    }

    /** The silence tolerated before DEAD. */
    public long thresholdNanos() {
        return options.thresholdNanos();
    }

    /** How many hosts this listener knows. */
    public int size() {
        return monitors.size();
    }

    @Override
    protected void doStart() throws Exception {
        long now = monitors.now();
        timer.restoredClose(journal.restore(now));
        for (MonitorKey key : options.expect()) {
            monitors.getOrCreate(key, now).expected = true;
        }
        later.start(
                camelContext
                        .getExecutorServiceManager()
                        .newSingleThreadScheduledExecutor(this, "hotbackup-monitor"));
        ServiceHelper.startService(bean);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(bean);
        var executor = later.stop();
        if (executor != null) {
            camelContext.getExecutorServiceManager().shutdownNow(executor);
        }
        journal.close();
    }
}
