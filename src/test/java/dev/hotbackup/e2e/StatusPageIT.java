package dev.hotbackup.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.Chromium;
import dev.hotbackup.testing.FileUseCasePair;
import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.HotBackupProcess;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real headless Chromium: a backup and a live host as separate processes; the
 * page shows the live host LIVE in green, then, after a SIGKILL, DEAD in red with its routes
 * running on the backup. Screenshots are kept in target/status-page-*.png.
 */
class StatusPageIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** The page's state colours (status.html: --live, --dead). */
    private static final int LIVE_GREEN = 0x1b873f;

    private static final int DEAD_RED = 0xc62828;

    @TempDir Path work;

    @Test
    void pageShowsLiveThenDeadAfterAKill() throws Exception {
        int http = FreePorts.next();
        try (FileUseCasePair pair = new FileUseCasePair(work);
                Chromium browser = Chromium.start(1000, 700)) {
            pair.backup
                    .set("hotbackup.listener.threshold", "60s")
                    .set("hotbackup.http.enabled", "true")
                    .set("hotbackup.http.port", http)
                    .set("hotbackup.http.bind-address", "127.0.0.1")
                    .set("hotbackup.http.observe-port", FreePorts.next())
                    .set("files.auto-startup", "false");
            pair.start(WAIT);
            HotBackupProcess live = pair.live;
            browser.open("http://127.0.0.1:" + http + "/hotbackup/");
            String card = "article.card[data-host='serverA']";
            await("the page to show serverA LIVE")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> "LIVE".equals(browser.text(card + " .state")));
            assertEquals("LIVE", browser.attribute(card, "data-state"));
            String liveText = browser.text(card);
            assertTrue(liveText.contains("serverA / base"), liveText);
            assertTrue(liveText.contains("records-to-xml \u2014 stopped here"), liveText);
            assertTrue(browser.text("#role").equals("backup"), browser.text("#role"));
            BufferedImage livePng = png(browser.screenshot(Path.of("target/status-page-live.png")));
            assertTrue(pixels(livePng, LIVE_GREEN) > 300, "no green LIVE card in the screenshot");
            assertTrue(pixels(livePng, DEAD_RED) < 50, "red on a page where all is LIVE");

            // a 60 s threshold: DEAD comes from the dropped connection and the failed probe
            live.kill();
            await("the page to show serverA DEAD")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> "DEAD".equals(browser.text(card + " .state")));
            await("the page to show the routes running here")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> browser.text(card).contains("records-to-xml \u2014 running here"));
            String deadText = browser.text(card);
            assertTrue(deadText.contains("taken over here"), deadText);
            assertTrue(deadText.contains("probe"), "the timeline says why: " + deadText);
            BufferedImage deadPng = png(browser.screenshot(Path.of("target/status-page-dead.png")));
            assertTrue(pixels(deadPng, DEAD_RED) > 300, "no red DEAD card in the screenshot");
            assertTrue(pixels(deadPng, LIVE_GREEN) > 20, "the running routes' green dots are gone");
        }
    }

    @Test
    void pageShowsTheLeasesAndTheRoleWithAnArbiter() throws Exception {
        int http = FreePorts.next();
        Path locks = work.resolve("locks");
        try (FileUseCasePair pair = new FileUseCasePair(work);
                Chromium browser = Chromium.start(1000, 900)) {
            for (HotBackupProcess h : java.util.List.of(pair.backup, pair.live)) {
                h.set("hotbackup.arbiter", "file").set("hotbackup.arbiter.file.path", locks);
            }
            pair.live.set("hotbackup.arbiter.routes", "records-to-xml,xml-to-fin");
            pair.backup
                    .set("hotbackup.listener.threshold", "60s")
                    .set("hotbackup.http.enabled", "true")
                    .set("hotbackup.http.port", http)
                    .set("hotbackup.http.bind-address", "127.0.0.1")
                    .set("hotbackup.http.observe-port", FreePorts.next());
            pair.start(WAIT);
            browser.open("http://127.0.0.1:" + http + "/hotbackup/");
            await("the page to show the backup standing by")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> "STANDBY".equals(browser.text("article.arbiter .state")));
            assertEquals("standby", browser.text("#arbiter-role"));

            pair.live.kill();
            await("the page to show the backup active under the dead host's lease")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> "ACTIVE".equals(browser.text("article.arbiter .state")));
            String arbiter = browser.text("article.arbiter");
            assertTrue(arbiter.contains("serverA/base"), arbiter);
            assertTrue(arbiter.contains("HELD"), arbiter);
            assertTrue(arbiter.contains("file " + locks.toAbsolutePath().normalize()), arbiter);
            await("the routes run here")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () ->
                                    browser.text("article.card[data-host='serverA']")
                                            .contains("records-to-xml \u2014 running here"));
            BufferedImage png = png(browser.screenshot(Path.of("target/status-page-leases.png")));
            assertTrue(pixels(png, LIVE_GREEN) > 300, "no green ACTIVE card in the screenshot");
        }
    }

    private static BufferedImage png(byte[] bytes) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }

    /** Pixels within a small distance of an RGB colour. */
    private static int pixels(BufferedImage image, int rgb) {
        int n = 0;
        int r0 = (rgb >> 16) & 0xff;
        int g0 = (rgb >> 8) & 0xff;
        int b0 = rgb & 0xff;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                int d =
                        Math.abs(((p >> 16) & 0xff) - r0)
                                + Math.abs(((p >> 8) & 0xff) - g0)
                                + Math.abs((p & 0xff) - b0);
                if (d < 24) {
                    n++;
                }
            }
        }
        return n;
    }
}
