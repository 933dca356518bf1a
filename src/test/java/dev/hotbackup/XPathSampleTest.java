package dev.hotbackup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
import java.util.Map;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * samples/three-hosts with a route author's own XPath on /signal/@host instead of the per-host
 * keys: hotbackup.listener.signals-to hands every signal to per-host-signals, which starts only the
 * dead host's routes. The YAML route here; {@link XPathSampleXmlTest} runs the XML one.
 */
class XPathSampleTest extends ListenerTestSupport {

    /** {@code yaml} or {@code xml}: which of the sample's two routes is active. */
    protected String sampleDsl() {
        return "yaml";
    }

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.takeover.routes", "");
        p.put("hotbackup.listener.signals-to", "seda:my-signals");
        p.put("orders.dir", "target/xpath-sample");
        p.put("orders-a.auto-startup", "false");
        p.put("orders-b.auto-startup", "false");
        p.put("signals.yaml", Boolean.toString(sampleDsl().equals("yaml")));
        p.put("signals.xml", Boolean.toString(sampleDsl().equals("xml")));
    }

    @BeforeEach
    void loadSampleRoutes() throws Exception {
        RoutesLoader loader = PluginHelper.getRoutesLoader(context);
        for (String file :
                new String[] {
                    "samples/three-hosts/routes/orders.camel.yaml",
                    "samples/three-hosts/routes-xpath/per-host-signals.camel.yaml",
                    "samples/three-hosts/routes-xpath/per-host-signals.xml"
                }) {
            loader.loadRoutes(ResourceHelper.resolveMandatoryResource(context, "file:" + file));
        }
    }

    @Test
    void onlyTheDeadHostsRoutesStart() throws Exception {
        String router = sampleDsl().equals("yaml") ? "per-host-signals" : "per-host-signals-xml";
        assertTrue(status(router).isStarted(), router + " is not running");
        FakeLiveHost a = liveHost("liveA");
        FakeLiveHost b = liveHost("liveB");
        a.startHeartbeats(100);
        b.startHeartbeats(100);
        awaitState("liveA", MonitorState.LIVE);
        awaitState("liveB", MonitorState.LIVE);
        assertTrue(status("orders-a").isStopped());

        a.crash();
        awaitState("liveA", MonitorState.DEAD);
        eventually(() -> status("orders-a").isStarted());
        assertTrue(status("orders-b").isStopped(), "liveB is LIVE: its routes stay stopped");

        a.restart();
        a.startHeartbeats(100);
        awaitState("liveA", MonitorState.LIVE);
        eventually(() -> status("orders-a").isStopped());
    }
}
