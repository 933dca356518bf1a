package dev.hotbackup.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A free port for a test, never the same one twice in a JVM. The unit tests run in three JVMs at
 * once (surefire's forkCount=3): each takes its ports from a range of its own, below the kernel's
 * ephemeral range, so that no two can be handed a port the other has picked and not yet bound. The
 * end-to-end tests (two JVMs, failsafe's forkCount=2) take their ranges the same way; elsewhere
 * (the benchmark, one JVM) the whole of the three ranges.
 *
 * <p>Camel's {@code AvailablePortFinder.getNextAvailable(from, to)} is not used: it forgets a port
 * as soon as it returns it, so two calls before either port is bound return the same one (a test's
 * listener and its SMTP server on one port worked only while they bound different addresses).
 */
public final class FreePorts {

    private static final int BASE = 10_000;
    private static final int FORKS = 3;
    private static final int SPAN = 7_000;
    private static int last = -1;

    private FreePorts() {}

    public static synchronized int next() {
        String fork = System.getProperty("test.fork", "");
        int from = BASE;
        int span = FORKS * SPAN;
        if (fork.matches("[1-9][0-9]?")) {
            from = BASE + ((Integer.parseInt(fork) - 1) % FORKS) * SPAN;
            span = SPAN;
        }
        for (int i = 1; i <= span; i++) {
            int candidate = from + Math.floorMod(last + i - from, span);
            if (free(candidate)) {
                last = candidate;
                return candidate;
            }
        }
        throw new IllegalStateException("no free port from " + from + " to " + (from + span - 1));
    }

    /** Whether nothing listens on {@code port}, on any address. */
    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
