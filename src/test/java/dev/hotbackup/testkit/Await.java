package dev.hotbackup.testkit;

import dev.hotbackup.monitor.MonitorRegistry;
import dev.hotbackup.monitor.MonitorState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;

/**
 * Bounded waits, failing with what was there instead: for your routes' state, and for what the
 * instance under test thinks of a monitored host.
 */
public final class Await {

    private static final long POLL_MILLIS = 50;

    private Await() {}

    /** Waits until every route in {@code routeIds} is started, at most {@code atMost}. */
    public static void started(CamelContext context, Duration atMost, String... routeIds)
            throws InterruptedException {
        until(context, atMost, ServiceStatus.Started, routeIds);
    }

    /** Waits until every route in {@code routeIds} is stopped, at most {@code atMost}. */
    public static void stopped(CamelContext context, Duration atMost, String... routeIds)
            throws InterruptedException {
        until(context, atMost, ServiceStatus.Stopped, routeIds);
    }

    /**
     * Waits until the instance's listener holds {@code host} (config {@code base}) in {@code
     * state}: {@code LIVE}, {@code DEAD}, {@code CLOSE} or {@code WAITING}.
     */
    public static void host(CamelContext context, Duration atMost, String host, String state)
            throws InterruptedException {
        host(context, atMost, host, "base", state);
    }

    /** The same for another config. */
    public static void host(
            CamelContext context, Duration atMost, String host, String config, String state)
            throws InterruptedException {
        MonitorState wanted = MonitorState.valueOf(state);
        MonitorRegistry monitors =
                context.getRegistry().lookupByNameAndType("monitorRegistry", MonitorRegistry.class);
        if (monitors == null) {
            throw new AssertionError(
                    "no Backup listener runs in this context: set hotbackup.listener.port");
        }
        poll(
                host + "/" + config + " not " + wanted,
                atMost,
                () -> {
                    MonitorState now = monitors.stateOf(host, config);
                    return now == wanted ? null : now == null ? "never heard of" : now.name();
                });
    }

    private static void until(
            CamelContext context, Duration atMost, ServiceStatus wanted, String... routeIds)
            throws InterruptedException {
        poll(
                "not " + wanted,
                atMost,
                () -> {
                    List<String> not = new ArrayList<>();
                    for (String id : routeIds) {
                        ServiceStatus s = context.getRouteController().getRouteStatus(id);
                        if (s != wanted) {
                            not.add(id + " is " + (s == null ? "not a route of this context" : s));
                        }
                    }
                    return not.isEmpty() ? null : not.toString();
                });
    }

    /**
     * Polls {@code problem} (what is not as wanted yet, or {@code null}) until it is {@code null},
     * failing with {@code what} and the last problem after {@code atMost}.
     */
    static void poll(String what, Duration atMost, Supplier<String> problem)
            throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        String last;
        while ((last = problem.get()) != null) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError(what + " within " + atMost.toMillis() + " ms: " + last);
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }
}
