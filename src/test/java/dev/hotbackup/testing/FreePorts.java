package dev.hotbackup.testing;

import org.apache.camel.test.AvailablePortFinder;

/**
 * A free port for a test. The unit tests run in two JVMs at once (surefire's forkCount=2): each
 * takes its ports from a range of its own, below the kernel's ephemeral range, so that neither can
 * be handed a port the other has picked and not yet bound. Elsewhere (the end-to-end tests, one
 * JVM), any free port.
 */
public final class FreePorts {

    private static final int BASE = 10_000;
    private static final int SPAN = 11_000;

    private FreePorts() {}

    public static int next() {
        String fork = System.getProperty("test.fork", "");
        if (fork.matches("[1-9][0-9]?")) {
            int n = Integer.parseInt(fork);
            int from = BASE + ((n - 1) % 2) * SPAN;
            return AvailablePortFinder.getNextAvailable(from, from + SPAN - 1);
        }
        return AvailablePortFinder.getNextAvailable();
    }
}
