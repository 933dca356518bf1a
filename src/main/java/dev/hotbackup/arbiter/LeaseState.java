package dev.hotbackup.arbiter;

/** Where this instance stands with one lease it wants or holds. */
public enum LeaseState {
    /**
     * Wanted, not held: another instance holds it, or the arbiter does not answer. Nothing guarded
     * by it runs here; the keeper keeps asking.
     */
    WAITING,
    /**
     * Held and renewed in time: the guarded routes may run, each exchange under the lease's epoch.
     */
    HELD,
    /**
     * Was held and could not be renewed in time, or was taken over: the guarded routes were stopped
     * before anyone else could be granted it. The keeper keeps asking. A grant to another holder,
     * or after the lease lapsed, comes with a new epoch; a lease the arbiter still has as this
     * instance's own (no one held it meanwhile) keeps its epoch.
     */
    FENCED,
    /** Wanted, but no gateway answers: this instance may be the one cut off, so it does not ask. */
    ISOLATED
}
