package dev.hotbackup.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.SampleScript;
import org.junit.jupiter.api.Test;

/**
 * samples/database-pair/run.sh as a user runs it: an H2 server, a live host and its backup on the
 * database link; the killed live host taken over with PRE and POST notices, and its routes handed
 * back when it returns. The script checks each step and exits 0 only if all happened.
 */
class DatabasePairSampleIT {

    @Test
    void theSampleRunsEveryStep() throws Exception {
        String log = SampleScript.run("database-pair");
        assertTrue(log.contains("hostB's failover notices: PRE hostA/base"), log);
        assertTrue(log.contains("Done."), log);
    }
}
