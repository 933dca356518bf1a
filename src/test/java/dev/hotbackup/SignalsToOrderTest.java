package dev.hotbackup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hotbackup.signal.Signal;
import dev.hotbackup.signal.SignalPublisher;
import dev.hotbackup.signal.SignalState;
import dev.hotbackup.signal.SignalXml;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/**
 * hotbackup.listener.signals-to hands the user's routes every signal in the order the monitors
 * published them: a LIVE and the DEAD right after it for one host arrive LIVE first. The copies
 * used to leave through wireTap's thread pool, where a DEAD could overtake the LIVE just before it
 * (XPathSampleXmlTest started and stopped a dead host's routes in the wrong order once in CI).
 */
class SignalsToOrderTest extends ListenerTestSupport {

    static final int SIGNALS = 60;

    @EndpointInject("mock:my-signals")
    MockEndpoint mine;

    @Override
    protected void properties(Map<String, String> p) {
        p.put("hotbackup.takeover.routes", "");
        // the user's route takes its time with each signal, as a real one may
        p.put("hotbackup.listener.signals-to", "direct:my-slow-signals");
    }

    @Test
    void theUsersRoutesGetEachHostsSignalsInOrder() throws Exception {
        PluginHelper.getRoutesLoader(context)
                .loadRoutes(
                        ResourceHelper.fromString(
                                "my-slow-signals.camel.yaml",
                                """
                                - route:
                                    id: my-slow-signals
                                    from:
                                      uri: direct:my-slow-signals
                                      steps:
                                        - delay:
                                            asyncDelayed: false
                                            simple: "${random(0,20)}"
                                        - to: mock:my-signals
                                """));
        mine.expectedMessageCount(SIGNALS);
        SignalPublisher publisher =
                new SignalPublisher(
                        context.createProducerTemplate(), SignalXml.Whitespace.PRESERVE);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < SIGNALS; i++) {
            SignalState state = i % 2 == 0 ? SignalState.LIVE : SignalState.DEAD;
            publisher.publish(new Signal("flapping", "base", state, Instant.now(), "test " + i));
            sent.add(state.name() + " test " + i);
        }
        mine.setResultWaitTime(Duration.ofSeconds(30).toMillis());
        mine.assertIsSatisfied();
        List<String> got = new ArrayList<>();
        for (Exchange e : mine.getReceivedExchanges()) {
            got.add(
                    e.getIn().getHeader("HotBackupState")
                            + " "
                            + e.getIn().getHeader("HotBackupDetail"));
        }
        assertEquals(sent, got);
    }
}
