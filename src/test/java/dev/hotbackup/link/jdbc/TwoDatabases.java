package dev.hotbackup.link.jdbc;

import dev.hotbackup.testing.FreePorts;
import dev.hotbackup.testing.H2;
import dev.hotbackup.testing.Postgres;
import java.nio.file.Files;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A real PostgreSQL server and a real H2 server for one test class, each test naming its own tables
 * ({@link #tables} counts them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TwoDatabases {

    Postgres pg;
    Server h2;
    int tables;

    @BeforeAll
    void servers() throws Exception {
        pg = Postgres.start(FreePorts.next());
        h2 = H2.start(FreePorts.next(), Files.createTempDirectory("h2"));
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
}
