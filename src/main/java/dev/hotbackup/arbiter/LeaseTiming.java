package dev.hotbackup.arbiter;

import java.util.concurrent.TimeUnit;

/**
 * The times a lease is kept by, all on the local monotonic clock, measured from the moment a
 * renewal that succeeded was sent (the arbiter extends the lease no earlier than that):
 *
 * <pre>
 *   sent ──renew──▶ next renewal ... ──deadline──▶ gate closes, routes stop ──halt──▶ still running: halt
 *                                                                            ──lease──▶ arbiter may grant it elsewhere
 * </pre>
 *
 * @param leaseNanos how long the arbiter keeps a lease without renewal
 * @param renewNanos time between renewals
 * @param deadlineNanos no renewal for this long: fence (shorter than the lease)
 * @param haltNanos a guarded route still running this long after the last renewal halts the process
 *     (between the deadline and the lease)
 * @param retryNanos how often a wanted lease is asked for while nothing says when it may be free
 */
public record LeaseTiming(
        long leaseNanos, long renewNanos, long deadlineNanos, long haltNanos, long retryNanos) {

    /** No expiry at all: the arbiter {@code none}, guarded by the gateway alone. */
    public static final long FOREVER = Long.MAX_VALUE / 4;

    public LeaseTiming {
        if (!(renewNanos < deadlineNanos && deadlineNanos < haltNanos && haltNanos <= leaseNanos)) {
            throw new IllegalArgumentException(
                    "need renew < deadline < halt <= lease, got " + this);
        }
    }

    /** The defaults for a lease: renew every fifth, fence at three fifths, halt at nine tenths. */
    public static LeaseTiming of(long leaseNanos) {
        return new LeaseTiming(
                leaseNanos,
                leaseNanos / 5,
                leaseNanos * 3 / 5,
                leaseNanos * 9 / 10,
                Math.min(leaseNanos / 5, TimeUnit.MILLISECONDS.toNanos(250)));
    }

    /**
     * Without an arbiter (the gateway alone): leases never lapse and are never renewed in time;
     * only the gateway closes the gate. Checked once a second, asked for again every 250 ms.
     */
    public static LeaseTiming withoutArbiter() {
        return new LeaseTiming(
                FOREVER,
                TimeUnit.SECONDS.toNanos(1),
                FOREVER - 2,
                FOREVER - 1,
                TimeUnit.MILLISECONDS.toNanos(250));
    }

    long leaseMillis() {
        return TimeUnit.NANOSECONDS.toMillis(leaseNanos);
    }

    @Override
    public String toString() {
        return "lease "
                + ms(leaseNanos)
                + ", renew every "
                + ms(renewNanos)
                + ", fence after "
                + ms(deadlineNanos)
                + ", halt after "
                + ms(haltNanos);
    }

    private static String ms(long nanos) {
        return nanos >= FOREVER ? "never" : TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
    }
}
