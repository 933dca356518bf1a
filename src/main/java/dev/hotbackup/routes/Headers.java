package dev.hotbackup.routes;

/** Names of the message headers the pack's routes and beans pass to each other. */
public final class Headers {

    /** Correlation key of a monitored (host, config); set on every accepted heartbeat. */
    public static final String KEY = "HotBackupKey";

    /** LIVE or CLOSE: what the accepted heartbeat said. */
    public static final String FRAME_STATE = "HotBackupFrameState";

    /**
     * Why a reconfirm was asked for: {@code silence} (the silence timer) or {@code disconnect} (the
     * host's connection closed without CLOSE).
     */
    public static final String CAUSE = "HotBackupCause";

    /** The connection ({@code /ip:port}) whose closing asked for a reconfirm. */
    public static final String CONNECTION = "HotBackupConnection";

    /** Set by the monitor when a probe is due: where to send it. */
    public static final String PROBE_ADDRESS = "HotBackupProbeAddress";

    public static final String PROBE_PORT = "HotBackupProbePort";

    /** Set by the probe: {@code answered}, or what went wrong. */
    public static final String PROBE_RESULT = "HotBackupProbeResult";

    /** Host and config of a probe target or of a signal. */
    public static final String HOST = "HotBackupHost";

    public static final String CONFIG = "HotBackupConfig";

    /** The group of a signal's host, when it is a member of this instance's group. */
    public static final String GROUP = "HotBackupGroup";

    /** The state a signal reports: LIVE, DEAD or CLOSE. */
    public static final String STATE = "HotBackupState";

    /** When the listener decided a signal (ISO-8601, wall clock). */
    public static final String TIME = "HotBackupTime";

    /** Why a signal was decided, in a few words. */
    public static final String DETAIL = "HotBackupDetail";

    /**
     * What the signal router does for a signal: {@code takeover}, {@code release}, {@code notify}.
     */
    public static final String ACTION = "HotBackupAction";

    /** Route ids the signal router acts on, and the outcome of each action. */
    public static final String ROUTES = "HotBackupRoutes";

    public static final String OUTCOMES = "HotBackupOutcomes";

    /** The route id being started or stopped inside the signal router's split. */
    public static final String ROUTE = "HotBackupRoute";

    /** Set on a LIVE signal re-sent after the failback delay: release now. */
    public static final String FAILBACK_DUE = "HotBackupFailbackDue";

    /**
     * Set by an operator's request instead of a state change: {@code takeover} or {@code release}
     * for one host, whatever its state and the takeover mode.
     */
    public static final String FORCE = "HotBackupForce";

    /** Who asked for a forced action, and from where ({@code http 10.0.0.5 alice}, {@code jmx}). */
    public static final String OPERATOR = "HotBackupOperator";

    /**
     * On every exchange of a guarded route: the epoch of the lease it runs under, strictly
     * increasing from one holder to the next (the fencing token). A downstream write that refuses
     * an epoch lower than the last it saw cannot be overtaken by a holder that lost the lease.
     */
    public static final String EPOCH = "HotBackupEpoch";

    /** On every exchange of a guarded route: the lease ({@code host/config}) it runs under. */
    public static final String LEASE = "HotBackupLease";

    /** Set on a signal re-sent once the lease it waited for is granted: the epoch of the grant. */
    public static final String LEASE_GRANTED = "HotBackupLeaseGranted";

    /** Exchange property: the signal XML as the signal router received it. */
    public static final String SIGNAL = "HotBackupSignal";

    /** Exchange property: monotonic time the signal router planned its action. */
    public static final String PLANNED_AT = "HotBackupPlannedAt";

    private Headers() {}
}
