package dev.hotbackup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.testing.FakeLiveHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PRE and POST failover notices (hotbackup.takeover.notify-to) to the documented example route of
 * samples/database-pair, in YAML here and in XML in {@link FailoverNoticesXmlTest}: one PRE and one
 * POST per takeover, in that order, none on release; POST says whether every takeover route runs.
 */
class FailoverNoticesTest extends ListenerTestSupport {

    /** Where the example route writes; per test class, emptied before the test. */
    private Path dir() {
        return Path.of("target/failover-notices", getClass().getSimpleName());
    }

    /** {@code yaml} or {@code xml}: which of the example's two routes is active. */
    protected String exampleDsl() {
        return "yaml";
    }

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.takeover.routes", "takeover-a,takeover-broken");
        p.put("hotbackup.takeover.notify-to", "seda:failover");
        p.put("failover-notices.dir", dir().toString());
        p.put("failover-notices.yaml", Boolean.toString(exampleDsl().equals("yaml")));
        p.put("failover-notices.xml", Boolean.toString(exampleDsl().equals("xml")));
    }

    @BeforeEach
    void loadExampleRoutes() throws Exception {
        Files.deleteIfExists(dir().resolve("failover.log"));
        for (String file :
                new String[] {
                    "samples/database-pair/routes/failover-notices.camel.yaml",
                    "samples/database-pair/routes/failover-notices.xml"
                }) {
            PluginHelper.getRoutesLoader(context)
                    .loadRoutes(ResourceHelper.resolveMandatoryResource(context, "file:" + file));
        }
    }

    private List<String> notices() throws Exception {
        Path f = dir().resolve("failover.log");
        return Files.exists(f) ? Files.readAllLines(f, StandardCharsets.UTF_8) : List.of();
    }

    @Test
    void aTakeoverIsAnnouncedBeforeAndReportedAfterAndAReleaseIsNot() throws Exception {
        String route = exampleDsl().equals("yaml") ? "failover-notices" : "failover-notices-xml";
        assertTrue(status(route).isStarted(), route + " is not running");
        FakeLiveHost h = beatingHost("noticed");
        h.crash();
        awaitState("noticed", MonitorState.DEAD);
        eventually(() -> notices().size() == 2);
        List<String> n = notices();
        assertEquals("PRE noticed/base routes=[takeover-a, takeover-broken] complete=", n.get(0));
        assertEquals(
                "POST noticed/base routes=[takeover-a, takeover-broken] complete=false",
                n.get(1),
                "takeover-broken cannot start: the failover is incomplete");
        assertTrue(status("takeover-a").isStarted());

        beatsAgain(h);
        eventually(() -> status("takeover-a").isStopped());
        assertEquals(2, notices().size(), "a release is no failover: " + notices());
    }
}
