package dev.hotbackup.testing;

import dev.hotbackup.activity.ActivityLog;
import java.util.List;

/** Reads a running instance's activity log in tests. */
public final class Activity {

    private Activity() {}

    /** Entries whose JSON contains every one of {@code fragments}. */
    public static List<String> matching(ActivityLog log, String... fragments) {
        return log.recentLines().stream()
                .filter(
                        line -> {
                            for (String f : fragments) {
                                if (!line.contains(f)) {
                                    return false;
                                }
                            }
                            return true;
                        })
                .toList();
    }

    /** A JSON fragment {@code "key":"value"} as the activity log writes it. */
    public static String field(String key, String value) {
        return "\"" + key + "\":\"" + value + "\"";
    }
}
