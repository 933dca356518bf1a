package dev.hotbackup.arbiter;

/**
 * Told by the {@link LeaseKeeper} what becomes of a lease it wants. Called on the keeper's own
 * thread, one call at a time; must not block.
 */
public interface LeaseListener {

    /** The lease is ours under {@code epoch}: the guarded routes may start. */
    void granted(String key, long epoch);

    /**
     * The lease may be someone else's now, or soon: the gate is already closed (no exchange starts
     * under it); stop the guarded routes.
     */
    void lost(String key, long epoch, String why);
}
