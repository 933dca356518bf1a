package dev.hotbackup.arbiter;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where leases are held: one backend (a database, ZooKeeper, a lock file). Each call answers for
 * itself and blocks for at most the backend's own timeout; the {@link LeaseKeeper} makes every call
 * from one thread, never two at once. Expiry is judged by the arbiter (the database's clock, the
 * ZooKeeper session, the operating system's lock), never by comparing wall clocks across hosts.
 */
public interface Arbiter extends AutoCloseable {

    /** "jdbc jdbc:postgresql://db:5432/ha, table hotbackup_lease", for logs and the status page. */
    String describe();

    /**
     * Checks, once at start, what can be told from the configuration alone and from a first
     * contact.
     *
     * @return {@code null} when the arbiter answered, else why it cannot be reached now (a state,
     *     not an error: the instance runs nothing guarded and keeps trying)
     * @throws ArbiterSetupException when the configuration can never work
     */
    String start() throws ArbiterSetupException;

    /**
     * Asks for {@code key}. A lease that has lapsed, was given back or never existed is granted
     * under an epoch higher than any before it; one still held by {@code me} is granted again under
     * its epoch.
     */
    Attempt acquire(String key, Holder me, long leaseMillis);

    /**
     * Extends every lease in {@code held} ({@code key -> epoch}), in as few round trips as the
     * backend allows.
     *
     * @return per key: {@link Attempt.Granted} (extended), {@link Attempt.Held} (lost to another
     *     holder or lapsed), or {@link Attempt.Unreachable} (unknown: the deadline decides)
     */
    Map<String, Attempt> renew(Map<String, Long> held, Holder me, long leaseMillis);

    /** Gives {@code key} back if {@code me} still holds it under {@code epoch}. */
    void release(String key, Holder me, long epoch) throws Exception;

    /** The arbiter's leases now. */
    List<LeaseRecord> table() throws Exception;

    /**
     * How long a lease lasts without renewal, as this backend will actually enforce it: the
     * configured lease, or what the ZooKeeper ensemble negotiated for the session.
     */
    default long leaseMillis(long configured) {
        return configured;
    }

    /**
     * Whether this arbiter decides between instances; {@code false} for {@link GatewayOnly}, which
     * grants every lease and leaves it to the gateway check.
     */
    default boolean arbitrates() {
        return true;
    }

    /**
     * Registers who is told, at once, that every lease held through this arbiter may be lost (a
     * ZooKeeper connection SUSPENDED): they fence without waiting for the deadline.
     */
    default void onDoubt(Consumer<String> doubt) {}

    /**
     * The shared notes whose names start with {@code prefix} (name to value): a group's processing
     * map keeps its operator moves here, beside the leases, so every member reads the same.
     */
    default Map<String, String> notes(String prefix) throws Exception {
        throw new UnsupportedOperationException(describe() + " keeps no shared notes");
    }

    /** Sets one shared note; {@code null} removes it. */
    default void note(String name, String value) throws Exception {
        throw new UnsupportedOperationException(describe() + " keeps no shared notes");
    }

    @Override
    void close();
}
