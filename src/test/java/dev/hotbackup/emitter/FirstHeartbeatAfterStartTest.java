package dev.hotbackup.emitter;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hotbackup.HotBackupMain;
import dev.hotbackup.testing.LineServer;
import dev.hotbackup.testing.TestProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Route;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A live host sends its first heartbeat only once every route has started: a backup that took over
 * stops its copies when it hears LIVE, so a LIVE sent while a slow route was still starting left a
 * moment in which neither host ran it.
 */
@CamelMainTest(
        mainClass = HotBackupMain.class,
        properties = {
            "hotbackup.host=serverS",
            "hotbackup.secret=test-secret-0123456789",
            "hotbackup.heartbeat-interval=50ms",
            "hotbackup.state-dir=target/test-state/first-heartbeat",
            "hotbackup.listener.activity-log=false",
            "camel.beans.slowStart=#class:" + FirstHeartbeatAfterStartTest.SlowStart.CLASS,
            "camel.main.routes-include-pattern=classpath:test-slow-start/*.camel.yaml"
        },
        propertyPlaceholderLocations = "classpath:hotbackup/camel.properties")
class FirstHeartbeatAfterStartTest {

    static final LineServer BACKUP = LineServer.open(0);

    /** Frames the backup had received when the slow route finished starting. */
    static volatile int framesWhenStarted = -1;

    /** Takes a second in onStart, then notes how many frames the backup has. */
    public static final class SlowStart extends RoutePolicySupport {
        static final String CLASS = "dev.hotbackup.emitter.FirstHeartbeatAfterStartTest$SlowStart";

        @Override
        public void onStart(Route route) {
            try {
                // the slow start itself, not a wait for a condition
                TimeUnit.SECONDS.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            framesWhenStarted = BACKUP.lines().size();
        }
    }

    @Configure
    protected void configure(MainConfigurationProperties main) {
        TestProperties.apply(
                main, Map.of("hotbackup.backup-location", "127.0.0.1:" + BACKUP.port()));
    }

    @AfterAll
    static void close() throws IOException {
        BACKUP.close();
    }

    @Test
    void noFrameLeavesBeforeEveryRouteHasStarted() {
        await("heartbeats once started")
                .atMost(Duration.ofSeconds(10))
                .until(() -> BACKUP.lines().size() >= 2);
        assertEquals(0, framesWhenStarted, "frames received while a route was still starting");
    }
}
