package dev.hotbackup.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hotbackup.activity.ActivityLog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A burst of refusals is reported once per window, and the ones kept quiet are reported when the
 * window is over even if no refusal follows: the log says how many frames a burst cost, not one.
 */
class RejectionsTest {

    @Test
    void aBurstThatEndsIsReportedWhole() {
        ActivityLog activity = new ActivityLog(false, Path.of("unused"));
        Rejections rejections = new Rejections(activity);
        for (int i = 0; i < 5; i++) {
            rejections.reject(RejectReason.OVERLOADED, "lane full", "/10.0.0.1:1");
        }
        long now = System.nanoTime();
        rejections.flush(now);
        assertEquals(1, details(activity).size(), "one report inside the window");

        rejections.flush(now + Rejections.WINDOW_NANOS);
        assertEquals(
                List.of(
                        "overloaded: lane full from /10.0.0.1:1",
                        "overloaded: no new report (4 more refused since last report)"),
                details(activity));

        rejections.flush(now + 3 * Rejections.WINDOW_NANOS);
        assertEquals(2, details(activity).size(), "nothing more to say");
    }

    private static List<String> details(ActivityLog activity) {
        return activity.recent().stream()
                .filter(e -> e.event().equals("rejected"))
                .map(ActivityLog.Entry::detail)
                .toList();
    }
}
