package dev.hotbackup.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every transition the enum's Javadoc lists happens; every other one fails loudly. */
class MonitorStateTest {

    private static final Set<String> ALLOWED =
            Set.of(
                    "WAITING LIVE",
                    "WAITING CLOSE",
                    "WAITING DEAD",
                    "LIVE DEAD",
                    "LIVE CLOSE",
                    "DEAD LIVE",
                    "DEAD CLOSE",
                    "CLOSE LIVE");

    @Test
    void onlyTheListedTransitionsAreAllowed() {
        int allowed = 0;
        for (MonitorState from : MonitorState.values()) {
            for (MonitorState to : MonitorState.values()) {
                boolean expected = ALLOWED.contains(from + " " + to);
                assertEquals(expected, from.canMoveTo(to), from + " -> " + to);
                if (expected) {
                    assertEquals(to, from.moveTo(to));
                    allowed++;
                } else {
                    IllegalStateException e =
                            assertThrows(IllegalStateException.class, () -> from.moveTo(to));
                    assertEquals("no transition from " + from + " to " + to, e.getMessage());
                }
            }
        }
        assertEquals(ALLOWED.size(), allowed);
    }
}
