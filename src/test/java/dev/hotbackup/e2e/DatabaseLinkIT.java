package dev.hotbackup.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.H2;
import dev.hotbackup.testing.Ledger;
import dev.hotbackup.testing.LedgerPair;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database link (hotbackup.link=jdbc) with a live host and its backup as processes and an H2
 * server as the shared database: no TCP between the two hosts, heartbeats are counter updates in
 * the heartbeat table, and the ledger route shows who ran it when. A kill, a restart and a clean
 * stop; then the database itself goes away, briefly (nothing happens) and for longer than the
 * threshold and the lease (the live host fences, the backup takes over only once it holds the
 * lease).
 */
class DatabaseLinkIT {

    static final Duration LEASE = Duration.ofSeconds(4);
    static final Duration HEARTBEAT = Duration.ofMillis(250);
    static final Duration CHECK = Duration.ofMillis(500);

    /** DEAD after 6 reads without a change: 3 s. */
    static final int RETRIES = 6;

    @TempDir Path work;
    Server h2;
    int h2Port;
    LedgerPair pair;

    @BeforeEach
    void database() throws Exception {
        h2Port = FreePorts.next();
        startDatabase();
    }

    private void startDatabase() throws Exception {
        h2 = H2.start(h2Port, work.resolve("h2"));
    }

    @AfterEach
    void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        if (h2 != null) {
            h2.stop();
        }
    }

    private LedgerPair pair() throws Exception {
        pair =
                LedgerPair.overDatabase(
                        work,
                        Map.of(
                                "hotbackup.arbiter", "jdbc",
                                "hotbackup.arbiter.jdbc.url",
                                        "jdbc:h2:tcp://localhost:" + h2Port + "/./pair",
                                "hotbackup.arbiter.jdbc.username", "sa"),
                        LEASE,
                        HEARTBEAT,
                        CHECK,
                        RETRIES);
        return pair.start();
    }

    @Test
    void aKilledLiveHostIsTakenOverThroughTheTableAndGetsItsRoutesBack() throws Exception {
        pair();
        assertTrue(
                pair.live.output().contains("heartbeat to table hotbackup_heartbeat every 250ms"),
                pair.tails());

        long killed = System.currentTimeMillis();
        pair.live.kill();
        pair.awaitActive("backup", killed, Duration.ofSeconds(20));
        assertEquals(
                1,
                pair.backup
                        .activity()
                        .matching(
                                "\"event\":\"signal\"",
                                "\"state\":\"DEAD\"",
                                "none over the database link; the counter did not move in 6 reads")
                        .size(),
                "DEAD says why\n" + pair.tails());

        long restarted = System.currentTimeMillis();
        pair.live.start();
        pair.awaitOnlyActive("live", restarted);

        // a clean stop writes CLOSE into the row: the backup takes over at once, not after the
        // threshold
        long stopped = System.currentTimeMillis();
        assertEquals(143, pair.live.stop());
        pair.backup.activity().await(1, "\"state\":\"CLOSE\"", "the host is stopping normally");
        long first = pair.awaitActive("backup", stopped, Duration.ofSeconds(20));
        assertTrue(
                first - stopped < 3000,
                "taken over " + (first - stopped) + " ms after the clean stop, before DEAD");
        assertNull(Ledger.problem(Ledger.segments(pair.lines())), pair.tails());
        // each DEAD and CLOSE went through the signal router once, also when its lease was
        // granted while the router waited for it
        assertTrue(
                pair.backup.activity().matching("lease granted once no takeover was due").isEmpty(),
                pair.backup.activity().lines().toString());
        assertEquals(2, pair.backup.activity().matching("\"event\":\"takeover\"").size());
    }

    @Test
    void theDatabaseGoneBrieflyChangesNothingAndGoneLongerFencesBeforeTheBackupTakesOver()
            throws Exception {
        pair();

        // shorter than the renew deadline and the threshold: no DEAD, no fence
        long from = System.currentTimeMillis();
        h2.stop();
        TimeUnit.MILLISECONDS.sleep(1000);
        startDatabase();
        TimeUnit.MILLISECONDS.sleep(4000);
        assertTrue(pair.backup.activity().matching("\"state\":\"DEAD\"").isEmpty(), pair.tails());
        assertTrue(pair.live.activity().matching("\"state\":\"FENCED\"").isEmpty(), pair.tails());
        List<Ledger.Line> lines = pair.lines();
        long to = System.currentTimeMillis();
        assertEquals(0, Ledger.count(lines, "backup", from, to), pair.tails());
        assertTrue(Ledger.count(lines, "live", to - 1000, to) > 0, "the live host runs on");

        // longer than the threshold and the lease: the live host fences itself; the backup sees
        // the host DEAD but cannot be granted the lease while the database is away
        long down = System.currentTimeMillis();
        h2.stop();
        pair.live.activity().await(1, Duration.ofSeconds(10), "\"state\":\"FENCED\"");
        pair.backup.activity().await(1, Duration.ofSeconds(10), "\"state\":\"DEAD\"");
        TimeUnit.MILLISECONDS.sleep(1500);
        long up = System.currentTimeMillis();
        assertEquals(
                0,
                Ledger.count(pair.lines(), "backup", down, up),
                "the backup ran the route without the lease\n" + pair.tails());
        startDatabase();

        // back: one of them holds the lease, the live host's heartbeats are heard again, and the
        // route ends up on the live host alone; never on both at once
        pair.awaitOnlyActive("live", up);
        assertFalse(pair.backup.activity().matching("\"state\":\"LIVE\"").size() < 2);
        assertNull(Ledger.problem(Ledger.segments(pair.lines())), pair.tails());
    }
}
