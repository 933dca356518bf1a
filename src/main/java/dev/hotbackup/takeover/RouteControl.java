package dev.hotbackup.takeover;

import dev.hotbackup.emitter.HeartbeatEmitter;
import dev.hotbackup.routes.Headers;
import dev.hotbackup.routes.PackRoute;
import dev.hotbackup.support.Causes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.RouteError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Helps the signal router around each controlbus action: prepares the heartbeat emitter before it
 * is started or stopped, and turns the route's status before and after into an outcome ({@code
 * started}, {@code already running}, {@code failed to start: cause}, ...). Controlbus itself logs
 * and swallows failures, so the outcome is read from the route's status and last error.
 */
public final class RouteControl {

    private static final Logger LOG = LoggerFactory.getLogger(RouteControl.class);

    /** The route status before the action, as set by the signal router. */
    public static final String BEFORE = "HotBackupStatusBefore";

    private final CamelContext camelContext;
    private final HeartbeatEmitter emitter;
    private final long closeTimeoutMillis;
    private final ConcurrentHashMap<String, Timing> timings = new ConcurrentHashMap<>();

    /** How long the signal router took to act on takeovers or releases, from plan to outcome. */
    public record Timing(long count, long totalNanos) {
        Timing plus(long nanos) {
            return new Timing(count + 1, totalNanos + nanos);
        }
    }

    /**
     * @param emitter the heartbeat emitter, or {@code null} when this instance emits none
     * @param closeTimeoutMillis how long to wait for the emitter's CLOSE before stopping it
     */
    public RouteControl(
            CamelContext camelContext, HeartbeatEmitter emitter, long closeTimeoutMillis) {
        this.camelContext = camelContext;
        this.emitter = emitter;
        this.closeTimeoutMillis = closeTimeoutMillis;
    }

    /** Before a start: an emitter that sent CLOSE may send LIVE frames again. */
    public void beforeStart(Exchange exchange) {
        if (emitter != null && isEmitter(exchange)) {
            emitter.open();
        }
    }

    /** Before a stop: the emitter says CLOSE before it falls silent. */
    public void beforeStop(Exchange exchange) {
        if (emitter != null && isEmitter(exchange)) {
            emitter.closeAndWait(closeTimeoutMillis);
        }
    }

    /** Sets the body to {@code "<route id>: <outcome>"} and logs it. */
    public void outcome(Exchange exchange) {
        String id = exchange.getIn().getHeader(Headers.ROUTE, String.class);
        String action = exchange.getIn().getHeader(Headers.ACTION, String.class);
        String before = exchange.getIn().getHeader(BEFORE, String.class);
        Route route = camelContext.getRoute(id);
        String outcome;
        boolean failed = false;
        if (route == null) {
            outcome = "failed: no route with this id";
            failed = true;
        } else if (camelContext.isStopping()) {
            outcome = "not done: Camel is stopping";
        } else {
            ServiceStatus after = camelContext.getRouteController().getRouteStatus(id);
            boolean wasStarted = ServiceStatus.Started.name().equals(before);
            boolean started = after != null && after.isStarted();
            if (TakeoverPlan.TAKEOVER.equals(action)) {
                if (wasStarted) {
                    outcome = "already running";
                } else if (started) {
                    outcome = "started";
                } else {
                    outcome = "failed to start: " + cause(route, after);
                    failed = true;
                }
            } else {
                if (!wasStarted) {
                    outcome = "already stopped";
                } else if (!started) {
                    outcome = "stopped";
                } else {
                    outcome = "failed to stop: " + cause(route, after);
                    failed = true;
                }
            }
        }
        String text = id + ": " + outcome;
        if (failed) {
            LOG.error("Route control {}", text);
        } else {
            LOG.info("Route control {}", text);
        }
        exchange.getIn().setBody(text);
    }

    /** Joins the notes of {@link TakeoverPlan} and the outcomes of the split into one list. */
    public List<String> outcomes(Exchange exchange) {
        Long planned = exchange.getProperty(Headers.PLANNED_AT, Long.class);
        String action = exchange.getIn().getHeader(Headers.ACTION, String.class);
        List<?> acted = exchange.getIn().getHeader(Headers.ROUTES, List.class);
        if (planned != null
                && acted != null
                && !acted.isEmpty()
                && (TakeoverPlan.TAKEOVER.equals(action) || TakeoverPlan.RELEASE.equals(action))) {
            long took = System.nanoTime() - planned;
            timings.merge(action, new Timing(1, took), (a, b) -> a.plus(took));
        }
        List<String> all = new ArrayList<>();
        List<?> notes = exchange.getIn().getHeader(Headers.OUTCOMES, List.class);
        if (notes != null) {
            notes.forEach(n -> all.add(String.valueOf(n)));
        }
        Object body = exchange.getIn().getBody();
        if (body instanceof List<?> list) {
            list.forEach(o -> all.add(String.valueOf(o)));
        }
        return all;
    }

    /** Takeover and release timings so far, by action. */
    public Map<String, Timing> timings() {
        return Map.copyOf(timings);
    }

    private boolean isEmitter(Exchange exchange) {
        return PackRoute.HEARTBEAT_EMITTER
                .id()
                .equals(exchange.getIn().getHeader(Headers.ROUTE, String.class));
    }

    private static String cause(Route route, ServiceStatus status) {
        RouteError error = route.getLastError();
        if (error != null && error.getException() != null) {
            return Causes.rootMessage(error.getException());
        }
        return "route is " + status;
    }
}
