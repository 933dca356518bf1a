package dev.hotbackup.arbiter;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.arbiter.file.FileArbiter;
import dev.hotbackup.arbiter.jdbc.JdbcArbiter;
import dev.hotbackup.arbiter.zookeeper.ZooKeeperArbiter;
import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.H2;
import dev.hotbackup.testing.Postgres;
import dev.hotbackup.testing.TwoDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.curator.test.TestingServer;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every backend promises, against the real thing: a PostgreSQL server, an H2 server, a
 * ZooKeeper server, lock files on disk. One holder at a time; epochs strictly increase from one
 * holder to the next; a lease given back or lapsed goes to the next asker; setup mistakes are
 * refused naming the key, an unreachable arbiter is a state.
 */
class ArbiterContractTest extends TwoDatabases {

    static final Holder A = new Holder("hostA", "aaaa");
    static final Holder B = new Holder("hostB", "bbbb");

    @TempDir Path tmp;
    TestingServer zk;

    @BeforeAll
    void zooKeeper() throws Exception {
        zk = new TestingServer(FreePorts.next(), true);
    }

    @AfterAll
    void stopZooKeeper() throws Exception {
        if (zk != null) {
            zk.close();
        }
    }

    /** A new arbiter on a fresh namespace (table, base path, folder) per test. */
    Stream<Arguments> backends() {
        return Stream.of(
                Arguments.of("postgresql", (Supplier<Arbiter>) () -> postgres(table)),
                Arguments.of("h2", (Supplier<Arbiter>) () -> h2(table)),
                Arguments.of("zookeeper", (Supplier<Arbiter>) () -> zookeeper(table)),
                Arguments.of(
                        "file", (Supplier<Arbiter>) () -> new FileArbiter(tmp.resolve(table))));
    }

    String table = "t0";

    String nextTable() {
        table = "lease_t" + (++tables);
        return table;
    }

    Arbiter postgres(String t) {
        return new JdbcArbiter(pg.url(), Postgres.USER, Postgres.PASSWORD, t, 2000);
    }

    Arbiter h2(String t) {
        return new JdbcArbiter(
                "jdbc:h2:tcp://localhost:" + h2.getPort() + "/./arb", "sa", "", t, 2000);
    }

    Arbiter zookeeper(String t) {
        return new ZooKeeperArbiter(zk.getConnectString(), "/" + t, 4000, 2000);
    }

    static Arbiter started(Arbiter a) throws Exception {
        assertNull(a.start(), "reachable at start");
        return a;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void oneHolderAtATimeAndEpochsIncrease(String name, Supplier<Arbiter> make) throws Exception {
        nextTable();
        try (Arbiter a = started(make.get());
                Arbiter b = started(make.get())) {
            long e1 =
                    assertInstanceOf(Attempt.Granted.class, a.acquire("serverA/base", A, 5000))
                            .epoch();
            LeaseRecord by =
                    assertInstanceOf(
                                    Attempt.Held.class,
                                    b.acquire("serverA/base", B, 5000),
                                    "a held lease is refused")
                            .by();
            assertEquals(A, by.holder());
            assertEquals(e1, by.epoch());

            assertEquals(
                    new Attempt.Granted(e1),
                    a.acquire("serverA/base", A, 5000),
                    "asking again for one's own lease keeps its epoch");
            assertEquals(
                    new Attempt.Granted(e1),
                    a.renew(Map.of("serverA/base", e1), A, 5000).get("serverA/base"));

            a.release("serverA/base", A, e1);
            long e2 =
                    assertInstanceOf(Attempt.Granted.class, b.acquire("serverA/base", B, 5000))
                            .epoch();
            assertTrue(e2 > e1, "the next holder's epoch " + e2 + " is above " + e1);

            assertInstanceOf(
                    Attempt.Held.class,
                    a.renew(Map.of("serverA/base", e1), A, 5000).get("serverA/base"),
                    "the old holder's renewal after the lease moved on");
            assertInstanceOf(Attempt.Held.class, a.acquire("serverA/base", A, 5000));

            LeaseRecord row =
                    b.table().stream()
                            .filter(r -> r.key().equals("serverA/base"))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("no row in " + tableOf(b)));
            assertEquals(B, row.holder());
            assertEquals(e2, row.epoch());
            assertTrue(row.held(), row.toString());
            assertInstanceOf(
                    Attempt.Granted.class,
                    b.acquire("other/base", B, 5000),
                    "leases are independent");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void notesAreSharedReplacedAndRemovedWithoutShowingAsLeases(String name, Supplier<Arbiter> make)
            throws Exception {
        nextTable();
        try (Arbiter a = started(make.get());
                Arbiter b = started(make.get())) {
            assertEquals(Map.of(), b.notes("group/hub/"), "no note yet");
            a.note("group/hub/work/hostA", "hostC\talice\t2026-11-30T21:00:00Z");
            a.note("group/hub/master", "hostB");
            a.note("group/other_x/master", "hostQ");
            a.note("group/otherZx/master", "hostZ");
            assertEquals(
                    Map.of(
                            "group/hub/work/hostA", "hostC\talice\t2026-11-30T21:00:00Z",
                            "group/hub/master", "hostB"),
                    b.notes("group/hub/"),
                    "the other instance reads them, and only under the prefix");
            b.note("group/hub/master", "hostA");
            assertEquals("hostA", a.notes("group/hub/").get("group/hub/master"), "replaced");
            a.note("group/hub/master", null);
            a.note("group/hub/never-set", null);
            assertEquals(
                    Map.of("group/hub/work/hostA", "hostC\talice\t2026-11-30T21:00:00Z"),
                    b.notes("group/hub/"),
                    "removed");
            assertEquals(
                    Map.of("group/other_x/master", "hostQ"),
                    b.notes("group/other_"),
                    "a prefix's _ is not a wildcard");
            assertTrue(b.table().isEmpty(), "notes are not leases: " + b.table());
        }
    }

    static String tableOf(Arbiter a) {
        try {
            return a.table().toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aHolderThatStopsRenewingIsReplacedWithAHigherEpoch(String name, Supplier<Arbiter> make)
            throws Exception {
        nextTable();
        Arbiter a = started(make.get());
        try (Arbiter b = started(make.get())) {
            long e1 =
                    assertInstanceOf(Attempt.Granted.class, a.acquire("serverA/base", A, 1000))
                            .epoch();
            if (name.equals("file") || name.equals("zookeeper")) {
                a.close(); // the lock or the session ends with its holder
            }
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(
                            () ->
                                    assertEquals(
                                            new Attempt.Granted(e1 + 1),
                                            b.acquire("serverA/base", B, 1000)));
        } finally {
            a.close();
        }
    }

    @Test
    void jdbcRefusesWrongCredentialsNamingTheKey() {
        Arbiter a = new JdbcArbiter(pg.url(), Postgres.USER, "wrong-password", "t_cred", 2000);
        ArbiterSetupException e = assertThrows(ArbiterSetupException.class, a::start);
        assertTrue(e.getMessage().contains("refused the credentials"), e.getMessage());
        assertEquals("hotbackup.arbiter.jdbc.username", e.key());
    }

    @Test
    void jdbcRefusesAMissingDatabase() {
        Arbiter a =
                new JdbcArbiter(
                        pg.url().replace("/hotbackup", "/no_such_db"),
                        Postgres.USER,
                        Postgres.PASSWORD,
                        "t",
                        2000);
        ArbiterSetupException e = assertThrows(ArbiterSetupException.class, a::start);
        assertTrue(e.getMessage().contains("no such database"), e.getMessage());
    }

    @Test
    void jdbcRefusesAUrlNoDriverUnderstands() {
        Arbiter a = new JdbcArbiter("jdbc:oracle:thin:@db:1521:x", "u", "p", "t", 2000);
        ArbiterSetupException e = assertThrows(ArbiterSetupException.class, a::start);
        assertTrue(e.getMessage().contains("driver"), e.getMessage());
        assertEquals("hotbackup.arbiter.jdbc.url", e.key());
    }

    @Test
    void anUnreachableDatabaseIsAStateNotAnError() throws Exception {
        int closed = FreePorts.next();
        try (Arbiter a =
                new JdbcArbiter(
                        "jdbc:postgresql://127.0.0.1:" + closed + "/hotbackup",
                        "u",
                        "p",
                        "t",
                        500)) {
            assertNotNull(a.start(), "why it cannot be reached");
            assertInstanceOf(Attempt.Unreachable.class, a.acquire("x/y", A, 1000));
        }
    }

    @Test
    void aDatabaseThatComesUpAfterTheStartGetsItsLeaseTable() throws Exception {
        int later = FreePorts.next();
        try (Arbiter a =
                new JdbcArbiter(
                        "jdbc:h2:tcp://localhost:" + later + "/./late",
                        "sa",
                        "",
                        "late_lease",
                        500)) {
            assertNotNull(a.start(), "not reachable at start");
            Server up = H2.start(later, tmp.resolve("late"));
            try {
                // the table is created on the first call that reaches the database
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> a.acquire("x/y", A, 1000) instanceof Attempt.Granted);
                assertEquals(1, a.table().size());
            } finally {
                up.stop();
            }
        }
    }

    @Test
    void anUnreachableEnsembleIsAStateNotAnError() throws Exception {
        int closed = FreePorts.next();
        try (Arbiter a = new ZooKeeperArbiter("127.0.0.1:" + closed, "/hb", 4000, 500)) {
            String why = a.start();
            assertNotNull(why, "why it cannot be reached");
            assertInstanceOf(Attempt.Unreachable.class, a.acquire("x/y", A, 1000));
        }
    }

    @Test
    void aLockFolderThatCannotBeCreatedIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        Arbiter a = new FileArbiter(file.resolve("sub"));
        ArbiterSetupException e = assertThrows(ArbiterSetupException.class, a::start);
        assertTrue(e.getMessage().contains("cannot create the folder"), e.getMessage());
    }

    @Test
    void urlsThatCannotBeSharedAreRefusedBeforeAnyConnection() {
        assertTrue(JdbcArbiter.urlProblem("").contains("is required"));
        assertTrue(JdbcArbiter.urlProblem("jdbc:h2:mem:x").contains("in-memory"));
        assertTrue(JdbcArbiter.urlProblem("jdbc:h2:./data/arb").contains("AUTO_SERVER"));
        assertNull(JdbcArbiter.urlProblem("jdbc:h2:./data/arb;AUTO_SERVER=TRUE"));
        assertTrue(JdbcArbiter.urlProblem("postgresql://db/x").contains("not a JDBC URL"));
        assertNull(JdbcArbiter.urlProblem("jdbc:postgresql://db:5432/x"));
        assertNotNull(JdbcArbiter.tableProblem("lease; drop table x"));
    }
}
