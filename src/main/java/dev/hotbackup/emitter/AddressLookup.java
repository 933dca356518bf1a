package dev.hotbackup.emitter;

import dev.hotbackup.config.HostPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Backups' host names looked up off the heartbeat's thread. A lookup blocks for as long as the name
 * service takes (glibc waits five seconds per try by default), and the heartbeat's thread writes
 * every backup: a name that does not answer while one connection is opened again would hold the
 * heartbeats to all the other backups for that long, and they would declare this host DEAD.
 *
 * <p>Each lookup runs on a thread of {@code threads}, at most one per name at a time (a caller that
 * asks while one runs waits for the same answer); its answer, or a timeout, is handed back on the
 * caller's thread. A lookup that outlives its timeout is left to finish: its answer is the next
 * caller's. An IP address needs no lookup: it is answered at once, on the caller's thread.
 */
final class AddressLookup {

    /** Looks a name up, blocking; {@link InetAddress#getByName} outside tests. */
    interface Resolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    private final Resolver resolver;
    private final Supplier<ExecutorService> threads;

    // guarded by running
    private final Map<String, CompletableFuture<InetAddress>> running = new HashMap<>();

    /**
     * @param threads where lookups run; asked for on the first name to look up (none is made where
     *     every backup is an IP address)
     */
    AddressLookup(Resolver resolver, Supplier<ExecutorService> threads) {
        this.resolver = resolver;
        this.threads = threads;
    }

    /**
     * Looks up the backup's address; {@code then} gets it, or the failure, on {@code back}, exactly
     * once, within {@code timeoutNanos} (after that: "the name service did not answer ...").
     * Nothing is handed back once {@code back} is shut down.
     */
    void resolve(
            HostPort backup,
            ScheduledExecutorService back,
            long timeoutNanos,
            BiConsumer<InetSocketAddress, Exception> then) {
        if (isAddress(backup.host())) {
            InetSocketAddress address;
            try {
                address =
                        new InetSocketAddress(InetAddress.getByName(backup.host()), backup.port());
            } catch (UnknownHostException e) {
                then.accept(null, e);
                return;
            }
            then.accept(address, null);
            return;
        }
        AtomicBoolean answered = new AtomicBoolean();
        CompletableFuture<InetAddress> lookup;
        ScheduledFuture<?> timer;
        try {
            lookup = lookup(backup.host());
            timer =
                    back.schedule(
                            () -> {
                                if (answered.compareAndSet(false, true)) {
                                    then.accept(
                                            null,
                                            new UnknownHostException(
                                                    "the name service did not answer for "
                                                            + backup.host()
                                                            + " within "
                                                            + TimeUnit.NANOSECONDS.toMillis(
                                                                    timeoutNanos)
                                                            + " ms"));
                                }
                            },
                            timeoutNanos,
                            TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            then.accept(null, e);
            return;
        }
        lookup.whenComplete(
                (address, failure) -> {
                    try {
                        back.execute(
                                () -> {
                                    if (!answered.compareAndSet(false, true)) {
                                        return; // timed out before
                                    }
                                    timer.cancel(false);
                                    if (failure != null) {
                                        then.accept(null, asException(failure));
                                    } else {
                                        then.accept(
                                                new InetSocketAddress(address, backup.port()),
                                                null);
                                    }
                                });
                    } catch (RejectedExecutionException e) {
                        // the caller's thread is stopped: nobody waits for the answer
                    }
                });
    }

    /**
     * Whether {@code host} is an IP address, which {@link InetAddress#getByName} reads without
     * asking the name service: four decimal numbers, or an IPv6 address (a name has no colon).
     */
    static boolean isAddress(String host) {
        return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
    }

    private static final Pattern IPV4 =
            Pattern.compile(
                    "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    /** The running lookup of this name, or a new one. */
    private CompletableFuture<InetAddress> lookup(String host) {
        CompletableFuture<InetAddress> f;
        synchronized (running) {
            f = running.get(host);
            if (f != null) {
                return f;
            }
            f = new CompletableFuture<>();
            running.put(host, f);
        }
        CompletableFuture<InetAddress> mine = f;
        try {
            threads.get()
                    .execute(
                            () -> {
                                try {
                                    mine.complete(resolver.resolve(host));
                                } catch (Exception | Error e) {
                                    mine.completeExceptionally(e);
                                } finally {
                                    forget(host, mine);
                                }
                            });
        } catch (RejectedExecutionException e) {
            forget(host, mine);
            throw e;
        }
        return mine;
    }

    private void forget(String host, CompletableFuture<InetAddress> f) {
        synchronized (running) {
            running.remove(host, f);
        }
    }

    private static Exception asException(Throwable t) {
        return t instanceof Exception e ? e : new IllegalStateException(t.toString(), t);
    }
}
