package dev.hotbackup.arbiter;

/** What the arbiter answered to a request for a lease, or to a renewal. */
public sealed interface Attempt {

    /** The lease is ours, under {@code epoch}; for a renewal: still ours, extended. */
    record Granted(long epoch) implements Attempt {}

    /** Someone else holds it (or, for a renewal, took it over). */
    record Held(LeaseRecord by) implements Attempt {}

    /** No answer: the arbiter cannot be reached or failed; {@code why} in a few words. */
    record Unreachable(String why) implements Attempt {}
}
