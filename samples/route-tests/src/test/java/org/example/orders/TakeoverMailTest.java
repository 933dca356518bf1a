package org.example.orders;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hotbackup.HotBackupMain;
import dev.hotbackup.testkit.Await;
import dev.hotbackup.testkit.TestLiveHost;
import dev.hotbackup.testkit.TestMailServer;
import java.util.List;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The on-call team's mail when serverA dies: subject and body from the DEAD templates. */
@CamelMainTest(
        mainClass = HotBackupMain.class,
        propertyPlaceholderLocations = "classpath:hotbackup/camel.properties",
        properties = {
            "hotbackup.host=serverB",
            "hotbackup.listener.port=9813",
            "hotbackup.listener.bind-address=127.0.0.1",
            "hotbackup.listener.threshold=1s",
            "hotbackup.secret=mail-secret-0123456789",
            "hotbackup.takeover.routes=orders",
            "hotbackup.mail.host=127.0.0.1",
            "hotbackup.mail.port=9814",
            "hotbackup.mail.to=oncall@example.com",
            "hotbackup.mail.subject.dead=[orders] ${host} is down, ${routes} moved to ${reporter}",
            "hotbackup.mail.body.dead=${host}/${config}: ${why}\\n${outcome}",
            "hotbackup.http.enabled=false",
            "hotbackup.state-dir=target/hotbackup-state/mail",
            "hotbackup.listener.activity-log-file=target/mail-activity.log",
            "camel.main.routes-include-pattern="
                    + "classpath:routes/*.camel.yaml,classpath:routes/*.camel.xml"
        })
class TakeoverMailTest {

    @RegisterExtension static final TestMailServer MAIL = TestMailServer.start(9814);

    @BeanInject CamelContext context;

    @Test
    void theDeadMailNamesTheHostAndTheRoutesStartedHere() throws Exception {
        try (TestLiveHost serverA = TestLiveHost.start("serverA", 9813, "mail-secret-0123456789")) {
            Await.host(context, ofSeconds(10), "serverA", "LIVE");
            serverA.die();
            TestMailServer.Mail mail = MAIL.await(ofSeconds(10), "[orders] serverA is down");
            assertEquals("[orders] serverA is down, orders moved to serverB", mail.subject());
            assertEquals(List.of("oncall@example.com"), mail.to());
            assertEquals("orders: started", mail.body().lines().toList().get(1), mail.body());
        }
    }
}
