package dev.hotbackup.link.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.arbiter.jdbc.Hang;
import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatFrame;
import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.H2;
import dev.hotbackup.testing.Postgres;
import dev.hotbackup.testing.TwoDatabases;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The heartbeat table against a real PostgreSQL server and a real H2 server: a counter that moves
 * is heard once per move, one that does not is not heard, CLOSE and a new run are heard, the
 * reader's own row is not; a database that goes away is a state of the reader and an error of the
 * writer, and both work again when it is back; credentials refused for good are one line.
 */
class HeartbeatTableTest extends TwoDatabases {

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
        Path dir = H2.newDir();
        Server own = H2.start(port, dir);
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

            own = H2.start(port, dir);
            live.write(frame("hostA", FrameState.LIVE, 1, 3));
            backup.poll();
            assertNull(backup.readError(), "it reads again");
            assertEquals(frame("hostA", FrameState.LIVE, 1, 3), heard.get(1));
        } finally {
            own.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void rolesFirstPrimaryNextStandbyThirdRefusedAndAStoppedStandbyMakesRoom(
            String name, Function<String[], HeartbeatTable> make) throws Exception {
        String t = "roles_t" + (++tables);
        try (HeartbeatTable a = make.apply(new String[] {t, "hostA"});
                HeartbeatTable b = make.apply(new String[] {t, "hostB"});
                HeartbeatTable c = make.apply(new String[] {t, "hostC"})) {
            for (HeartbeatTable h : List.of(a, b, c)) {
                h.threshold(3000, 2).open();
            }
            assertEquals(PairRole.Role.PRIMARY, a.register(false, 100).current());
            assertEquals(PairRole.Role.STANDBY, b.register(false, 100).current());
            HeartbeatTable.NoRoom refused =
                    assertThrows(HeartbeatTable.NoRoom.class, () -> c.register(false, 100));
            assertTrue(
                    refused.getMessage()
                            .matches(
                                    "hotbackup.role: the pair of config base is complete in the"
                                            + " heartbeat "
                                            + t
                                            + ": primary hostA \\(updated \\d+ ms ago\\),"
                                            + " standby hostB \\(updated \\d+ ms ago\\); a"
                                            + " third instance is refused.*"),
                    refused.getMessage());

            // the primary hears no standby as a host to take over
            List<HeartbeatFrame> heard = new ArrayList<>();
            a.watchInto((f, source) -> heard.add(f));
            List<String> events = new ArrayList<>();
            a.eventsTo((state, detail) -> events.add(state + " " + detail));
            // registered, its heartbeat not started yet (Camel still starting): left alone
            for (int i = 0; i < 4; i++) {
                a.poll();
            }
            assertEquals(List.of(), events, "a standby still starting is not deregistered");
            b.write(frame("hostB", FrameState.LIVE, 1, 1));
            a.poll();
            assertEquals(List.of(), heard);

            // the standby stops: after two reads of the same counter the primary deregisters it
            a.poll();
            assertEquals(List.of(), events, "one read of a still counter is not enough");
            a.poll();
            assertEquals(1, events.size(), events.toString());
            assertTrue(
                    events.get(0)
                            .startsWith(
                                    "DEREGISTERED standby hostB deregistered: its counter stood"
                                            + " at 1 for 2 reads"),
                    events.toString());

            // room for the third; the old standby, back, finds none and is told so
            assertEquals(PairRole.Role.STANDBY, c.register(false, 100).current());
            List<String> noRoom = new ArrayList<>();
            b.whenRefused(noRoom::add);
            b.write(frame("hostB", FrameState.LIVE, 1, 2));
            b.write(frame("hostB", FrameState.CLOSE, 1, 3));
            assertEquals(1, noRoom.size(), "told once; its CLOSE is not written");
            assertTrue(noRoom.get(0).contains("primary hostA"), noRoom.toString());
            assertTrue(noRoom.get(0).contains("standby hostC"), noRoom.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aStandbyHungInTheMiddleOfItsHeartbeatIsStillDeregistered(
            String name, Function<String[], HeartbeatTable> make) throws Exception {
        String t = "hung_t" + (++tables);
        try (HeartbeatTable a = make.apply(new String[] {t, "hostA"});
                HeartbeatTable b = make.apply(new String[] {t, "hostB"})) {
            for (HeartbeatTable h : List.of(a, b)) {
                h.threshold(3000, 2).open();
            }
            a.register(false, 100);
            b.register(false, 100);
            List<String> events = new ArrayList<>();
            a.eventsTo((state, detail) -> events.add(state + " " + detail));
            b.write(frame("hostB", FrameState.LIVE, 1, 1));
            a.poll();
            // the standby hangs right after its next heartbeat's UPDATE, before the commit (a
            // SIGSTOP there): the lock on its row must not keep the primary from deleting it
            try (Hang hang = Hang.after("UPDATE")) {
                hang.run(
                        () -> {
                            try {
                                b.write(frame("hostB", FrameState.LIVE, 1, 2));
                                return null;
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        });
                for (int i = 0; i < 6 && events.isEmpty(); i++) {
                    a.poll();
                }
                assertEquals(1, events.size(), "deregistered while it hangs: " + events);
                assertTrue(
                        events.get(0).startsWith("DEREGISTERED standby hostB deregistered"),
                        events.toString());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void twoInstancesStartingAtOnceGetOnePrimaryAndOneStandby(
            String name, Function<String[], HeartbeatTable> make) throws Exception {
        for (int round = 0; round < 5; round++) {
            String t = "race_t" + (++tables);
            try (HeartbeatTable a = make.apply(new String[] {t, "hostA"});
                    HeartbeatTable b = make.apply(new String[] {t, "hostB"})) {
                a.threshold(3000, 2).open();
                b.threshold(3000, 2).open();
                java.util.concurrent.CompletableFuture<PairRole> ra =
                        java.util.concurrent.CompletableFuture.supplyAsync(() -> registered(a));
                PairRole rb = registered(b);
                List<PairRole.Role> roles =
                        new ArrayList<>(List.of(ra.get().current(), rb.current()));
                roles.sort(null);
                assertEquals(
                        List.of(PairRole.Role.PRIMARY, PairRole.Role.STANDBY),
                        roles,
                        "round " + round);
            }
        }
    }

    private static PairRole registered(HeartbeatTable t) {
        try {
            return t.register(false, 50);
        } catch (HeartbeatTable.NoRoom e) {
            throw new AssertionError(e.getMessage());
        }
    }

    @Test
    void aStandbyOnlyInstanceNeverBecomesPrimaryAndAHostNameInUseIsRefused() throws Exception {
        String url = "jdbc:h2:tcp://localhost:" + h2.getPort() + "/./link";
        String t = "same_t" + (++tables);
        try (HeartbeatTable a = new HeartbeatTable(url, "sa", "", t, 1000, "hostA", "base", "a1");
                HeartbeatTable again =
                        new HeartbeatTable(url, "sa", "", t, 1000, "hostA", "base", "a2")) {
            a.threshold(1000, 2).open();
            again.threshold(1000, 2).open();
            assertEquals(PairRole.Role.STANDBY, a.register(true, 100).current(), "-b");
            // the same host name, another instance: waited out for a threshold, then refused
            long from = System.nanoTime();
            a.write(frame("hostA", FrameState.LIVE, 1, 1));
            // the other instance goes on heartbeating every 100 ms while this one registers
            java.util.concurrent.ScheduledExecutorService beats =
                    java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            java.util.concurrent.atomic.AtomicLong n =
                    new java.util.concurrent.atomic.AtomicLong(1);
            HeartbeatTable.NoRoom e;
            try {
                beats.scheduleAtFixedRate(
                        () -> {
                            try {
                                a.write(frame("hostA", FrameState.LIVE, 1, n.incrementAndGet()));
                            } catch (SQLException ignored) {
                                // the next one tries again
                            }
                        },
                        0,
                        100,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
                e = assertThrows(HeartbeatTable.NoRoom.class, () -> again.register(false, 100));
            } finally {
                beats.shutdownNow();
                beats.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "hotbackup.host: another running instance is"
                                            + " registered as hostA"),
                    e.getMessage());
            assertTrue(System.nanoTime() - from >= 1_000_000_000L, "waited a threshold first");
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
