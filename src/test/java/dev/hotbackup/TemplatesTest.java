package dev.hotbackup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.routes.Headers;
import dev.hotbackup.signal.SignalXml;
import dev.hotbackup.testing.FakeLiveHost;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

/**
 * The pack's route templates, instantiated with templatedRoute from YAML and from XML (see
 * test-routes/templated.*): each listener instance takes frames on its own port into the same
 * monitors, and each signal router instance starts and stops the takeover routes.
 */
class TemplatesTest extends ListenerTestSupport {

    @Test
    void listenerInstancesFromYamlAndXmlHearTheirOwnPorts() throws Exception {
        FakeLiveHost a = new FakeLiveHost("serverA", "base", SECRET, SECOND_PORT).start();
        FakeLiveHost b = new FakeLiveHost("serverB", "base", SECRET, THIRD_PORT).start();
        try {
            a.startHeartbeats(100);
            b.startHeartbeats(100);
            awaitState("serverA", MonitorState.LIVE);
            awaitState("serverB", MonitorState.LIVE);
            // the template keeps the threshold and the probe: a crash on the second port is DEAD
            a.crash();
            awaitState("serverA", MonitorState.DEAD);
            eventually(() -> status("takeover-a").isStarted());
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void signalRouterInstancesFromYamlAndXmlControlTheRoutes() {
        ProducerTemplate template = context.createProducerTemplate();
        Map<String, Object> dead =
                Map.of(
                        Headers.HOST, "serverC",
                        Headers.CONFIG, "base",
                        Headers.STATE, "DEAD",
                        Headers.TIME, "2026-01-01T00:00:00Z",
                        Headers.DETAIL, "sent by the test");
        template.sendBodyAndHeaders(
                "direct:yaml-signals",
                SignalXml.render("serverC", "base", "DEAD", SignalXml.Whitespace.PRESERVE),
                dead);
        assertTrue(status("takeover-a").isStarted());
        assertTrue(status("takeover-b").isStarted());
        Map<String, Object> live = new HashMap<>(dead);
        live.put(Headers.STATE, "LIVE");
        template.sendBodyAndHeaders(
                "direct:xml-signals",
                SignalXml.render("serverC", "base", "LIVE", SignalXml.Whitespace.PRESERVE),
                live);
        assertTrue(status("takeover-a").isStopped());
        assertTrue(status("takeover-b").isStopped());
    }
}
