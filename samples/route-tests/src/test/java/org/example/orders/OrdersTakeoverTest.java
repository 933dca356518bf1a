package org.example.orders;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hotbackup.HotBackupMain;
import dev.hotbackup.testkit.ActivityLog;
import dev.hotbackup.testkit.Await;
import dev.hotbackup.testkit.TestLiveHost;
import java.util.List;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

/** The YAML route orders: this backup runs it while serverA is dead, and only then. */
@CamelMainTest(
        mainClass = HotBackupMain.class,
        propertyPlaceholderLocations = "classpath:hotbackup/camel.properties",
        properties = {
            "hotbackup.host=serverB",
            "hotbackup.listener.port=9811",
            "hotbackup.listener.bind-address=127.0.0.1",
            "hotbackup.listener.threshold=1s",
            "hotbackup.secret=orders-secret-0123456789",
            "hotbackup.takeover.routes=orders",
            "hotbackup.listener.signals-to=seda:signals",
            "hotbackup.http.enabled=false",
            "hotbackup.state-dir=target/hotbackup-state/orders",
            "hotbackup.listener.activity-log-file=target/orders-activity.log",
            "camel.main.routes-include-pattern="
                    + "classpath:routes/*.camel.yaml,classpath:routes/*.camel.xml"
        })
class OrdersTakeoverTest {

    @BeanInject CamelContext context;

    @Test
    void ordersRunHereWhileServerAIsDead() throws Exception {
        ActivityLog activity = ActivityLog.of(context);
        try (TestLiveHost serverA =
                TestLiveHost.start("serverA", 9811, "orders-secret-0123456789")) {
            Await.host(context, ofSeconds(10), "serverA", "LIVE");
            serverA.die();
            Await.started(context, ofSeconds(10), "orders");
            List<String> takeovers = activity.await(ofSeconds(5), "takeover", "serverA");
            assertEquals(1, takeovers.size(), takeovers.toString());
            serverA.comeBack();
            Await.host(context, ofSeconds(10), "serverA", "LIVE");
            Await.stopped(context, ofSeconds(10), "orders");
        }
    }
}
