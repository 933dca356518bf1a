package dev.hotbackup.testing;

import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A real PostgreSQL server and a real H2 server for one test class, each test naming its own tables
 * ({@link #tables} counts them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TwoDatabases {

    protected Postgres pg;
    protected Server h2;
    protected int tables;

    @BeforeAll
    protected void servers() throws Exception {
        pg = Postgres.start(FreePorts.next());
        h2 = H2.start(FreePorts.next(), H2.newDir());
    }

    @AfterAll
    protected void stop() {
        if (pg != null) {
            pg.close();
        }
        if (h2 != null) {
            h2.stop();
        }
    }
}
