package dev.hotbackup.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The first line is logged, the next ones within the period are counted, then one says how many.
 */
class LogEveryTest {

    @Test
    void oneLinePerPeriodWithTheCountLeftOut() {
        LogEvery every = new LogEvery(Duration.ofSeconds(1));
        long t = 5_000_000_001L; // odd: the clock value 0 means never logged, so times are kept odd
        assertTrue(every.due(t));
        assertEquals(0, every.logged(t));
        assertFalse(every.due(t + 1));
        assertFalse(every.due(t + 999_999_999L));
        assertTrue(every.due(t + 1_000_000_000L));
        assertEquals(2, every.logged(t + 1_000_000_000L));
        assertFalse(every.due(t + 1_500_000_000L));
    }
}
