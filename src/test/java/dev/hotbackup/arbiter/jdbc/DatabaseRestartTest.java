package dev.hotbackup.arbiter.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.H2;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;

/**
 * A database restart costs the pool one failed call, not one per connection it held: the pool
 * checks only connections idle for more than half a second, so a second connection from before the
 * restart would otherwise be handed to the first call after it (a flaky failure of the heartbeat
 * table's test in CI, "Connection is broken: session closed").
 */
class DatabaseRestartTest {

    @Test
    void theCallAfterARestartGetsANewConnectionEvenWhenThePoolHeldTwo() throws Exception {
        int port = FreePorts.next();
        Path dir = H2.newDir();
        Server server = H2.start(port, dir);
        try (Database db =
                new Database(
                        "restart-test",
                        "jdbc:h2:tcp://localhost:" + port + "/./restart",
                        "sa",
                        "",
                        2000,
                        "t",
                        "CREATE TABLE IF NOT EXISTS t (x INT)")) {
            // two calls at once: the pool now holds two connections to this server
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Object> first =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return db.call(
                                            conn -> {
                                                inside.countDown();
                                                await(release);
                                                return one(conn);
                                            });
                                } catch (SQLException e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            assertTrue(inside.await(10, TimeUnit.SECONDS), "the first call never started");
            assertEquals(1, db.call(DatabaseRestartTest::one));
            release.countDown();
            assertEquals(1, first.get(10, TimeUnit.SECONDS));

            server.stop();
            assertThrows(SQLException.class, () -> db.call(DatabaseRestartTest::one));
            server = H2.start(port, dir);
            assertEquals(
                    1,
                    db.call(DatabaseRestartTest::one),
                    "the first call after the restart must not get a connection from before it");
        } finally {
            server.stop();
        }
    }

    private static void await(CountDownLatch latch) throws SQLException {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new SQLException("the test never let the first call go on");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException(e);
        }
    }

    private static int one(java.sql.Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
                var rs = st.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
