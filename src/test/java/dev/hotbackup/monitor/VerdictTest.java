package dev.hotbackup.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.probe.ProbeResult;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The DEAD decision as a table: what is known when a probe's result comes in, and what follows. */
class VerdictTest {

    private static ProbeResult result(String outcome) {
        return switch (outcome) {
            case "ANSWERED" -> ProbeResult.answered();
            case "REFUSED" -> ProbeResult.refused();
            case "TIMED_OUT" -> ProbeResult.timedOut(250);
            case "CLOSED" -> ProbeResult.closed("");
            case "INVALID" -> ProbeResult.invalid();
            default -> ProbeResult.unreachable("no probe port announced");
        };
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @ParameterizedTest(name = "{0} {1} {2} {3} retries {4} quiet {5} heard {6} ms, overloaded {7}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                // a host that answers is alive, whatever else
                "LIVE    | -    | SILENCE    | ANSWERED    | 0 | 5000 | 5000 | false | ANSWERED          | -",
                "WAITING | DEAD | SILENCE    | ANSWERED    | 0 | 5000 | 5000 | false | ANSWERED          | -",
                "LIVE    | -    | DISCONNECT | ANSWERED    | 0 |   10 |   10 | false | ANSWERED          | -",
                // the timer's probe: DEAD at the threshold, or now if it has passed
                "LIVE    | -    | SILENCE    | TIMED_OUT   | 0 |  700 |  700 | false | DEAD_AT_THRESHOLD | -",
                "LIVE    | -    | SILENCE    | REFUSED     | 0 |  700 |  700 | false | DEAD_AT_THRESHOLD | -",
                "LIVE    | -    | SILENCE    | CLOSED      | 0 | 1000 | 1000 | false | DEAD_NOW          | silent for 1.0 s; probe: closed without an answer",
                "LIVE    | -    | SILENCE    | INVALID     | 0 | 1200 | 1200 | false | DEAD_NOW          | silent for 1.2 s; probe: invalid answer",
                "LIVE    | -    | SILENCE    | UNREACHABLE | 0 |  995 |  995 | false | DEAD_NOW          | probe: no probe port announced",
                // an answered probe restarts the quiet time, not the time since the last frame
                "LIVE    | -    | SILENCE    | TIMED_OUT   | 0 |  300 | 1500 | false | DEAD_NOW          | silent for 1.5 s",
                // a timeout while this listener drops frames is not proof of death
                "LIVE    | -    | SILENCE    | TIMED_OUT   | 0 | 1500 | 1500 | true  | OVERLOADED        | -",
                "LIVE    | -    | SILENCE    | REFUSED     | 0 | 1500 | 1500 | true  | DEAD_NOW          | probe: connection refused",
                // a dropped connection: only a refused probe is DEAD at once
                "LIVE    | -    | DISCONNECT | REFUSED     | 0 |   10 |   10 | false | DEAD_NOW          | connection closed without CLOSE; probe: connection refused",
                "LIVE    | -    | DISCONNECT | CLOSED      | 0 |   10 |   10 | false | RETRY             | -",
                "LIVE    | -    | DISCONNECT | TIMED_OUT   | 2 |   10 |   10 | false | RETRY             | -",
                "LIVE    | -    | DISCONNECT | CLOSED      | 3 |   10 |   10 | false | INCONCLUSIVE      | -",
                // an expected host never heard, a host DEAD before the listener restarted
                "WAITING | -    | SILENCE    | REFUSED     | 0 | 1000 | 1000 | false | DEAD_NOW          | not heard in 1.0 s since the listener started; probe: connection refused",
                "WAITING | DEAD | SILENCE    | TIMED_OUT   | 0 |   50 |   50 | false | DEAD_NOW          | still silent after the listener restarted; probe: no answer within 250 ms"
            })
    void decides(
            MonitorState state,
            MonitorState restored,
            Verdict.Cause cause,
            String outcome,
            int retries,
            long quietMs,
            long heardMs,
            boolean overloaded,
            Verdict.Decision expected,
            String why) {
        Verdict.Outcome v =
                Verdict.of(
                        new Verdict.Facts(
                                state,
                                restored,
                                cause,
                                result(outcome),
                                retries,
                                ms(quietMs),
                                ms(heardMs),
                                ms(1000),
                                overloaded));
        assertEquals(expected, v.decision());
        if (why == null) {
            assertEquals("", v.why());
        } else {
            assertTrue(v.why().contains(why), v.why());
        }
    }

    @ParameterizedTest
    @CsvSource({
        "LIVE,    false, 1000, true",
        "LIVE,    false,  989, false",
        "LIVE,    true,  5000, false",
        "DEAD,    false, 5000, false",
        "WAITING, false, 5000, false"
    })
    void deadAtThresholdOnlyForALiveHostStillSilent(
            MonitorState state, boolean heardSince, long silenceMs, boolean dead) {
        assertEquals(dead, Verdict.deadAtThreshold(state, heardSince, ms(silenceMs), ms(1000)));
        assertFalse(Verdict.deadAtThreshold(state, heardSince, ms(silenceMs), ms(100_000)));
    }
}
