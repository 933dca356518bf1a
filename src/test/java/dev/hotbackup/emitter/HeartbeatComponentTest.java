package dev.hotbackup.emitter;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.config.HostPort;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.Signer;
import dev.hotbackup.testing.LineServer;
import java.time.Duration;
import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The emitter route's clock: frames leave while the route runs and stop with it, at the interval
 * given (a bare number is milliseconds, as with Camel's own endpoints); a wrong interval or a
 * missing emitter stops the route from being created, with one line saying which.
 */
class HeartbeatComponentTest {

    private static final HeartbeatCodec CODEC =
            new HeartbeatCodec(Signer.of("test-secret-0123456789"));

    @Test
    void framesLeaveWhileTheRouteRunsAndStopWithIt() throws Exception {
        try (LineServer backup = new LineServer();
                DefaultCamelContext context = new DefaultCamelContext()) {
            HeartbeatEmitter emitter = emitter(backup, context);
            addRoute(context, "hotbackup-heartbeat:heartbeatEmitter?interval=20");
            context.start();
            await("frames while the route runs")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> backup.lines().size() >= 10);
            String last = backup.lines().get(backup.lines().size() - 1);
            assertTrue(CODEC.decode(last).isAccepted(), last);

            context.getRouteController().stopRoute("beats");
            int stopped = backup.lines().size();
            await("no frame once the route stopped")
                    .during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> backup.lines().size() <= stopped + 1);

            context.getRouteController().startRoute("beats");
            await("frames again once it started")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> backup.lines().size() >= stopped + 10);
            assertTrue(emitter.unreachable().isEmpty(), emitter.unreachable().toString());
        }
    }

    @Test
    void aWrongIntervalOrAMissingEmitterIsRefusedWithOneLine() throws Exception {
        try (LineServer backup = new LineServer();
                DefaultCamelContext context = new DefaultCamelContext()) {
            emitter(backup, context);
            Exception wrong =
                    assertThrows(
                            Exception.class,
                            () -> {
                                addRoute(
                                        context,
                                        "hotbackup-heartbeat:heartbeatEmitter?interval=30S");
                                context.start();
                            });
            assertTrue(
                    rootMessage(wrong)
                            .startsWith(
                                    "hotbackup-heartbeat://heartbeatEmitter?interval=30S: interval:"
                                            + " '30S' is not a duration: units are written in lower"
                                            + " case: did you mean 30s?"),
                    rootMessage(wrong));
        }
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.addComponent(HeartbeatComponent.NAME, new HeartbeatComponent());
            Exception missing =
                    assertThrows(
                            Exception.class,
                            () -> {
                                addRoute(context, "hotbackup-heartbeat:mine?interval=1s");
                                context.start();
                            });
            assertEquals(
                    "hotbackup-heartbeat://mine?interval=1s: no heartbeat emitter named mine (the"
                            + " pack binds heartbeatEmitter where hotbackup.backup-location or the"
                            + " database link is set)",
                    rootMessage(missing));
        }
    }

    private static HeartbeatEmitter emitter(LineServer backup, DefaultCamelContext context)
            throws Exception {
        HeartbeatEmitter emitter =
                new HeartbeatEmitter(
                        "serverA",
                        "base",
                        1,
                        CODEC,
                        List.of(new HostPort("127.0.0.1", backup.port())),
                        1000,
                        null,
                        () -> 0,
                        context);
        context.getRegistry().bind("heartbeatEmitter", emitter);
        context.addService(emitter.connections());
        context.addComponent(HeartbeatComponent.NAME, new HeartbeatComponent());
        return emitter;
    }

    /** A lambda, not a RouteBuilder subclass: camel-main's package scan would load one. */
    private static void addRoute(DefaultCamelContext context, String uri) throws Exception {
        RouteBuilder.addRoutes(context, rb -> rb.from(uri).routeId("beats").stop());
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
