package dev.hotbackup.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.SampleScript;
import org.junit.jupiter.api.Test;

/**
 * samples/fenced-pair/run.sh as a user runs it: an H2 server, a live host and its full backup on
 * loopback; the hung live host replaced under a new epoch, fenced on resume, back under a newer
 * one, and a write under an old epoch refused. The script checks each step and exits 0 only if all
 * happened.
 */
class FencedPairSampleIT {

    @Test
    void theSampleRunsEveryStep() throws Exception {
        String log = SampleScript.run("fenced-pair");
        assertTrue(log.contains("a write under epoch 1 is refused"), log);
        assertTrue(log.contains("Done."), log);
    }
}
