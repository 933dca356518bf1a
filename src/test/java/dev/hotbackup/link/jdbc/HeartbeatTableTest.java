package dev.hotbackup.link.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatFrame;
import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The heartbeat table against a real PostgreSQL server and a real H2 server: a counter that moves
 * is heard once per move, one that does not is not heard, CLOSE and a new run are heard, the
 * reader's own row is not; a database that goes away is a state of the reader and an error of the
 * writer, and both work again when it is back; credentials refused for good are one line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeartbeatTableTest {

    Postgres pg;
    Server h2;
    int tables;

    @BeforeAll
    void servers() throws Exception {
        pg = Postgres.start(FreePorts.next());
        h2 = h2(FreePorts.next(), Files.createTempDirectory("h2"));
    }

    static Server h2(int port, Path dir) throws Exception {
        return Server.createTcpServer(
                        "-tcpPort",
                        Integer.toString(port),
                        "-baseDir",
                        dir.toString(),
                        "-ifNotExists")
                .start();
    }

    @AfterAll
    void stop() {
        if (pg != null) {
            pg.close();
        }
        if (h2 != null) {
            h2.stop();
        }
    }

    /** A table of one backend, named anew per test, opened for the given host. */
    Stream<Arguments> backends() {
        return Stream.of(
                Arguments.of(
                        "postgresql",
                        (Function<String[], HeartbeatTable>)
                                a ->
                                        new HeartbeatTable(
                                                pg.url(),
                                                Postgres.USER,
                                                Postgres.PASSWORD,
                                                a[0],
                                                2000,
                                                a[1],
                                                "base",
                                                "run-" + a[1])),
                Arguments.of(
                        "h2",
                        (Function<String[], HeartbeatTable>)
                                a ->
                                        new HeartbeatTable(
                                                "jdbc:h2:tcp://localhost:"
                                                        + h2.getPort()
                                                        + "/./link",
                                                "sa",
                                                "",
                                                a[0],
                                                2000,
                                                a[1],
                                                "base",
                                                "run-" + a[1])));
    }

    static HeartbeatFrame frame(String host, FrameState state, long boot, long seq) {
        return new HeartbeatFrame(host, "base", state, boot, seq, 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aCounterThatMovesIsHeardOncePerMoveAndOneThatStaysIsNot(
            String name, Function<String[], HeartbeatTable> make) throws Exception {
        String t = "beat_t" + (++tables);
        try (HeartbeatTable live = make.apply(new String[] {t, "hostA"});
                HeartbeatTable backup = make.apply(new String[] {t, "hostB"})) {
            live.open();
            backup.open();
            List<HeartbeatFrame> heard = new ArrayList<>();
            backup.watchInto((f, source) -> heard.add(f));

            live.write(frame("hostA", FrameState.LIVE, 7, 1));
            // the backup's own row, were it a live host too, is not watched by it
            backup.write(frame("hostB", FrameState.LIVE, 3, 1));
            backup.poll();
            assertEquals(List.of(frame("hostA", FrameState.LIVE, 7, 1)), heard);

            backup.poll();
            backup.poll();
            assertEquals(1, heard.size(), "a counter that did not move is no heartbeat");

            live.write(frame("hostA", FrameState.LIVE, 7, 2));
            live.write(frame("hostA", FrameState.LIVE, 7, 3));
            backup.poll();
            assertEquals(frame("hostA", FrameState.LIVE, 7, 3), heard.get(1), "the latest only");

            live.write(frame("hostA", FrameState.CLOSE, 7, 4));
            backup.poll();
            assertEquals(FrameState.CLOSE, heard.get(2).state());

            live.write(frame("hostA", FrameState.LIVE, 8, 1));
            backup.poll();
            assertEquals(frame("hostA", FrameState.LIVE, 8, 1), heard.get(3), "a new run");
            assertEquals(4, heard.size());

            Map<String, Object> view = backup.view();
            assertEquals(t, view.get("table"));
            assertNull(view.get("error"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rows = (List<Map<String, Object>>) view.get("rows");
            assertEquals(2, rows.size());
            assertEquals("hostA", rows.get(0).get("host"));
            assertEquals(1L, rows.get(0).get("lastcount"));
            long age = (Long) rows.get(0).get("updatedMillisAgo");
            assertTrue(age >= 0 && age < 10_000, "by the database's clock: " + age);
        }
    }

    @Test
    void aDatabaseThatGoesAwayIsAStateOfTheReaderAndAnErrorOfTheWriter() throws Exception {
        int port = FreePorts.next();
        Path dir = Files.createTempDirectory("h2");
        Server own = h2(port, dir);
        String url = "jdbc:h2:tcp://localhost:" + port + "/./away";
        try (HeartbeatTable live =
                        new HeartbeatTable(url, "sa", "", "beats", 1000, "hostA", "base", "a");
                HeartbeatTable backup =
                        new HeartbeatTable(url, "sa", "", "beats", 1000, "hostB", "base", "b")) {
            live.open();
            backup.open();
            List<HeartbeatFrame> heard = new ArrayList<>();
            backup.watchInto((f, source) -> heard.add(f));
            live.write(frame("hostA", FrameState.LIVE, 1, 1));
            backup.poll();
            assertEquals(1, heard.size());

            own.stop();
            backup.poll();
            assertNotNull(backup.readError(), "the reader knows it cannot read");
            assertEquals(1, heard.size());
            assertThrows(
                    SQLException.class, () -> live.write(frame("hostA", FrameState.LIVE, 1, 2)));

            own = h2(port, dir);
            live.write(frame("hostA", FrameState.LIVE, 1, 3));
            backup.poll();
            assertNull(backup.readError(), "it reads again");
            assertEquals(frame("hostA", FrameState.LIVE, 1, 3), heard.get(1));
        } finally {
            own.stop();
        }
    }

    @Test
    void credentialsRefusedForGoodAreOneLine() {
        HeartbeatTable t =
                new HeartbeatTable(
                        pg.url(), Postgres.USER, "wrong-password", "beats", 2000, "h", "base", "x");
        IllegalStateException e = assertThrows(IllegalStateException.class, t::open);
        assertTrue(
                e.getMessage().startsWith("the database refused the credentials:"), e.getMessage());
        t.close();
    }
}
