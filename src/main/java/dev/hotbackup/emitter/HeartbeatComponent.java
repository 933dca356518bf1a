package dev.hotbackup.emitter;

import dev.hotbackup.config.Durations;
import dev.hotbackup.support.Startup;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * The heartbeat's clock, {@code hotbackup-heartbeat:<emitter bean>?interval=100ms}: the consumer of
 * the emitter route. While the route runs, its emitter sends the next frame every interval (fixed
 * delay, on the monotonic clock) from the thread of its connections; stopping the route stops the
 * heartbeat. The route stays what controlbus, {@code autoStartup}, the status page and the health
 * checks see; what it no longer does is make an exchange per heartbeat (at 10 Hz the exchange, the
 * scheduler's poll and the thread hop to netty were most of a live host's CPU, in code the JIT had
 * not compiled yet: docs/profiles/emitter.md).
 */
public final class HeartbeatComponent extends DefaultComponent {

    /** The component's name in the registry and in endpoint URIs. */
    public static final String NAME = "hotbackup-heartbeat";

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters)
            throws Exception {
        String interval = getAndRemoveParameter(parameters, "interval", String.class);
        String name = remaining.isEmpty() ? "heartbeatEmitter" : remaining;
        Duration every = interval(uri, interval == null ? "" : interval.trim());
        if (every.isZero() || every.isNegative()) {
            throw new IllegalArgumentException(uri + ": interval must be longer than 0");
        }
        HeartbeatEmitter emitter =
                getCamelContext().getRegistry().lookupByNameAndType(name, HeartbeatEmitter.class);
        if (emitter == null) {
            throw new IllegalArgumentException(
                    uri
                            + ": no heartbeat emitter named "
                            + name
                            + " (the pack binds heartbeatEmitter where hotbackup.backup-location"
                            + " or the database link is set)");
        }
        return new HeartbeatEndpoint(uri, this, every, emitter);
    }

    /** {@code 100ms}, {@code 2s}, or a number of milliseconds as Camel's own endpoints take it. */
    private static Duration interval(String uri, String text) {
        if (text.matches("\\d{1,12}")) {
            return Duration.ofMillis(Long.parseLong(text));
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            // the message says it all; the parser's exception adds no line worth a cause
            throw new IllegalArgumentException(uri + ": interval: " + e.getMessage());
        }
    }

    private static final class HeartbeatEndpoint extends DefaultEndpoint {
        private final Duration interval;
        private final HeartbeatEmitter emitter;

        HeartbeatEndpoint(
                String uri,
                HeartbeatComponent component,
                Duration interval,
                HeartbeatEmitter emitter) {
            super(uri, component);
            this.interval = interval;
            this.emitter = emitter;
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException(
                    NAME + " is a route's clock; nothing can be sent to it");
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            Consumer consumer = new HeartbeatConsumer(this, processor);
            configureConsumer(consumer);
            return consumer;
        }
    }

    /**
     * Starts the heartbeat once Camel has fully started: LIVE tells a backup that took over that
     * this host runs its routes again, and the backup stops its copies when it hears it. A first
     * frame sent while the other routes were still starting (a slow broker connection, the HTTP
     * server) left a moment in which neither host ran them. Started later (a full backup going
     * live, controlbus), the heartbeat begins at once.
     */
    private static final class HeartbeatConsumer extends DefaultConsumer {
        private ScheduledFuture<?> beats;
        private boolean wanted;

        HeartbeatConsumer(HeartbeatEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            CamelContext context = getEndpoint().getCamelContext();
            synchronized (this) {
                wanted = true;
            }
            if (context.isStarted()) {
                beat();
                return;
            }
            Startup.whenFullyStarted(context, this::beat);
        }

        private synchronized void beat() {
            if (wanted && beats == null) {
                HeartbeatEndpoint e = (HeartbeatEndpoint) getEndpoint();
                beats = e.emitter.beatEvery(e.interval);
            }
        }

        @Override
        protected void doStop() throws Exception {
            synchronized (this) {
                wanted = false;
                if (beats != null) {
                    beats.cancel(false);
                    beats = null;
                }
            }
            super.doStop();
        }
    }
}
