package dev.hotbackup.arbiter;

/**
 * Where the keeper reports what happens to leases: the activity log, the INFO log, mail on a fence.
 * {@code state} is one of {@code GRANTED}, {@code RENEW-FAILED}, {@code RENEWED} (after a failure),
 * {@code LOST}, {@code FENCED}, {@code RELEASED}, {@code WAITING}, {@code ISOLATED}.
 */
public interface LeaseEvents {

    void lease(String key, String state, String detail);

    /** Discards every event (tests, benchmarks). */
    LeaseEvents NONE = (key, state, detail) -> {};
}
