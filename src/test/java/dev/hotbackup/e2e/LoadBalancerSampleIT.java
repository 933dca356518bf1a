package dev.hotbackup.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.testing.SampleScript;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * samples/load-balancer/run.sh as a user runs it: a real HAProxy in front of serverA and its full
 * backup, its health check on GET /hotbackup/active/serverA. A client calls through HAProxy while
 * serverA is killed and started again; the script exits 0 only if the calls went to serverB after
 * the kill and back to serverA after the restart, and prints how many failed.
 */
class LoadBalancerSampleIT {

    @Test
    void clientsFollowTheActiveHostThroughHaproxy() throws Exception {
        String log = SampleScript.run("load-balancer");
        assertTrue(log.contains("answers 200 on serverA, 503 on serverB"), log);
        assertTrue(log.contains("serverB serves the calls"), log);
        assertTrue(log.contains("serverA is back and serves the calls again"), log);
        assertTrue(log.contains("Done."), log);
        // before the kill every call was served; the figures themselves are the sample's to print
        Matcher before = Pattern.compile("before the kill: (\\d+) calls, 0 failed").matcher(log);
        assertTrue(before.find() && Integer.parseInt(before.group(1)) > 0, log);
    }
}
