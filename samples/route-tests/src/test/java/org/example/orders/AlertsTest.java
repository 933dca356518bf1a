package org.example.orders;

import static java.time.Duration.ofSeconds;

import dev.hotbackup.HotBackupMain;
import dev.hotbackup.testkit.Await;
import dev.hotbackup.testkit.TestLiveHost;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

/** The XML route alerts: XPath on the signal picks serverA's DEAD and names the host. */
@CamelMainTest(
        mainClass = HotBackupMain.class,
        propertyPlaceholderLocations = "classpath:hotbackup/camel.properties",
        properties = {
            "hotbackup.host=serverB",
            "hotbackup.listener.port=9812",
            "hotbackup.listener.bind-address=127.0.0.1",
            "hotbackup.listener.threshold=1s",
            "hotbackup.secret=alerts-secret-0123456789",
            "hotbackup.takeover.routes=orders",
            "hotbackup.listener.signals-to=seda:signals",
            "hotbackup.http.enabled=false",
            "hotbackup.state-dir=target/hotbackup-state/alerts",
            "hotbackup.listener.activity-log-file=target/alerts-activity.log",
            "camel.main.routes-include-pattern="
                    + "classpath:routes/*.camel.yaml,classpath:routes/*.camel.xml"
        })
class AlertsTest {

    @BeanInject CamelContext context;

    @EndpointInject("mock:alerts")
    MockEndpoint alerts;

    @Test
    void aDeadHostRaisesOneAlertNamingIt() throws Exception {
        alerts.expectedBodiesReceived("host down: serverA");
        try (TestLiveHost serverA =
                TestLiveHost.start("serverA", 9812, "alerts-secret-0123456789")) {
            Await.host(context, ofSeconds(10), "serverA", "LIVE");
            serverA.die();
            alerts.assertIsSatisfied(10_000);
        }
    }
}
