package dev.hotbackup.arbiter;

/** What this instance is, as far as leases go; shown on the status page, in metrics and JMX. */
public enum Role {
    /** Holds at least one lease and runs the routes it guards. */
    ACTIVE,
    /** Wants no lease now: nothing guarded is due here. */
    STANDBY,
    /** Wants a lease that another instance holds, or that an unreachable arbiter keeps. */
    WAITING,
    /** Wants a lease but reaches no gateway: it may be the one cut off, so it takes nothing. */
    ISOLATED,
    /** Lost a lease and stopped its routes; asks again until it gets a new grant. */
    FENCED
}
