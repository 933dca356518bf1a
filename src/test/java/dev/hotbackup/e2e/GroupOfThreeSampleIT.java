package dev.hotbackup.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.SampleScript;
import org.junit.jupiter.api.Test;

/**
 * samples/group-of-three/run.sh as a user runs it: an H2 server and an active-active group of three
 * on loopback; a member killed and its work and the master role taken over, a move to a dead member
 * refused, the member back with its work, an operator's move and its return. The script checks each
 * step and exits 0 only if all happened.
 */
class GroupOfThreeSampleIT {

    @Test
    void theSampleRunsEveryStep() throws Exception {
        String log = SampleScript.run("group-of-three");
        assertTrue(log.contains("hostB runs hostA's orders and is the master now"), log);
        assertTrue(log.contains("and back to hostC"), log);
        assertTrue(log.contains("Done."), log);
    }
}
