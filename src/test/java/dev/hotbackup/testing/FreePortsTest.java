package dev.hotbackup.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Ports handed out one after the other are all different, also before any of them is bound, and a
 * unit test JVM knows its fork, so the two forks never share a port.
 */
class FreePortsTest {

    @Test
    void neverTheSamePortTwiceNorOneInUse() throws Exception {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            ports.add(FreePorts.next());
        }
        assertEquals(50, ports.size(), ports.toString());
        try (ServerSocket taken = new ServerSocket(0)) {
            assertNotEquals(taken.getLocalPort(), FreePorts.next());
        }
    }

    @Test
    void theUnitTestJvmKnowsItsFork() {
        String fork = System.getProperty("test.fork", "");
        assertTrue(fork.matches("[1-9][0-9]?"), "test.fork is '" + fork + "'");
    }
}
