package dev.hotbackup.arbiter.jdbc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.hotbackup.arbiter.Attempt;
import dev.hotbackup.arbiter.Holder;
import dev.hotbackup.testing.Postgres;
import dev.hotbackup.testing.TwoDatabases;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A holder that hangs in the middle of a call to the lease table (a pause, SIGSTOP, a frozen VM)
 * must not keep the lease from the next asker once it has lapsed: its connection stays open while
 * it hangs, so any lock it took would stay too. Found in a fresh-clone run of the fenced-pair
 * sample: hostA, stopped inside its renewal, held the lease row's lock, and hostB waited for it
 * ("Timeout trying to lock table") for as long as hostA stayed stopped.
 */
class HungHolderTest extends TwoDatabases {

    static final Holder A = new Holder("hostA", "aaaa");
    static final Holder B = new Holder("hostB", "bbbb");
    static final long LEASE = 1500;

    Stream<Arguments> databases() {
        return Stream.of(
                Arguments.of("postgresql", pg.url(), Postgres.USER, Postgres.PASSWORD),
                Arguments.of("h2", "jdbc:h2:tcp://localhost:" + h2.getPort() + "/./arb", "sa", ""));
    }

    @ParameterizedTest(name = "{0}, hung after {4}")
    @MethodSource("points")
    void aHolderHungMidCallHoldsUpNoOne(
            String name, String url, String user, String password, String after) throws Exception {
        String table = "hung_t" + (++tables);
        try (JdbcArbiter a = new JdbcArbiter(url, user, password, table, 1000);
                JdbcArbiter b = new JdbcArbiter(url, user, password, table, 1000)) {
            a.start();
            b.start();
            long epoch =
                    assertInstanceOf(Attempt.Granted.class, a.acquire("hostA/base", A, LEASE))
                            .epoch();

            // hostA's next renewal hangs right after its statement `after` ran
            CompletableFuture<Map<String, Attempt>> renewal;
            try (Hang hang = Hang.after(after)) {
                renewal = hang.run(() -> a.renew(Map.of("hostA/base", epoch), A, LEASE));

                // hostB gets the lease once it lapsed, while hostA still hangs
                AtomicReference<Attempt> last = new AtomicReference<>();
                await("hostB granted the lease of the hung holder")
                        .atMost(Duration.ofMillis(LEASE * 4 + 3000))
                        .pollInterval(Duration.ofMillis(100))
                        .untilAsserted(
                                () -> {
                                    last.set(b.acquire("hostA/base", B, LEASE));
                                    assertInstanceOf(Attempt.Granted.class, last.get());
                                });
                assertEquals(new Attempt.Granted(epoch + 1), last.get());
            }

            // resumed, hostA's hung call ends (its answer is as of the moment it read, which the
            // lease keeper dates from when the call was sent); its next renewal finds hostB's lease
            renewal.get(10, TimeUnit.SECONDS);
            Attempt again = a.renew(Map.of("hostA/base", epoch), A, LEASE).get("hostA/base");
            Attempt.Held held = assertInstanceOf(Attempt.Held.class, again);
            assertEquals(B, held.by().holder());
        }
    }

    Stream<Arguments> points() {
        return databases()
                .flatMap(
                        d ->
                                Stream.of("UPDATE", "SELECT")
                                        .map(
                                                p -> {
                                                    Object[] args = d.get();
                                                    return Arguments.of(
                                                            args[0], args[1], args[2], args[3], p);
                                                }));
    }
}
