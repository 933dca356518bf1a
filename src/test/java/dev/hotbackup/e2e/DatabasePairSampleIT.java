package dev.hotbackup.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.SampleScript;
import org.junit.jupiter.api.Test;

/**
 * samples/database-pair/run.sh as a user runs it: an H2 server and hosts with the same
 * configuration whose roles come from the heartbeat table: the first the primary, the next its
 * standby with a copy of the primary's configuration, a third refused; the killed primary taken
 * over with PRE and POST notices, and back as the standby. The script checks each step and exits 0
 * only if all happened.
 */
class DatabasePairSampleIT {

    @Test
    void theSampleRunsEveryStep() throws Exception {
        String log = SampleScript.run("database-pair");
        assertTrue(log.contains("hostB registered as its standby"), log);
        assertTrue(log.contains("hostC refused (exit 2): hotbackup.role: the pair of config"), log);
        assertTrue(log.contains("the secret orders.api-token stayed on hostA"), log);
        assertTrue(log.contains("hostB's failover notices: PRE hostA/base"), log);
        assertTrue(log.contains("hostA restarted and registered as the standby"), log);
        assertTrue(log.contains("Done."), log);
    }
}
