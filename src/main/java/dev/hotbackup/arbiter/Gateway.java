package dev.hotbackup.arbiter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Fiorano's gateway check ({@code hotbackup.gateway}): tells "the other host died" from "I am cut
 * off". Reachable when any of the addresses accepts a TCP connection within the bound.
 */
public final class Gateway {

    private final List<InetSocketAddress> targets;
    private final int timeoutMillis;
    private final long resumeNanos;

    /**
     * @param targets {@code host:port} addresses, resolved at each check (a name may move)
     * @param timeoutMillis how long each connection attempt may take
     * @param resumeNanos without an arbiter: how long a gateway must have answered without a break
     *     before a lease is granted (at start, and after a fence)
     */
    public Gateway(List<InetSocketAddress> targets, int timeoutMillis, long resumeNanos) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no gateway address");
        }
        this.targets = List.copyOf(targets);
        this.timeoutMillis = timeoutMillis;
        this.resumeNanos = resumeNanos;
    }

    /** Without an arbiter: how long the gateway must answer without a break before a grant. */
    public long resumeNanos() {
        return resumeNanos;
    }

    /** {@code null} when some gateway accepted a connection, else why none did. */
    public String check() {
        List<String> failures = new ArrayList<>();
        for (InetSocketAddress t : targets) {
            InetSocketAddress resolved = new InetSocketAddress(t.getHostString(), t.getPort());
            try (Socket s = new Socket()) {
                s.connect(resolved, timeoutMillis);
                return null;
            } catch (IOException e) {
                failures.add(
                        t.getHostString()
                                + ":"
                                + t.getPort()
                                + " "
                                + (e.getMessage() == null
                                        ? e.getClass().getSimpleName()
                                        : e.getMessage()));
            }
        }
        return "no gateway reachable within "
                + timeoutMillis
                + " ms: "
                + String.join("; ", failures);
    }

    @Override
    public String toString() {
        return targets.stream().map(t -> t.getHostString() + ":" + t.getPort()).toList().toString();
    }
}
