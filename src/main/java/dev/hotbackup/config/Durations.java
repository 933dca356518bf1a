package dev.hotbackup.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations the way the documentation writes them: {@code 100ms}, {@code 2s}, {@code 60s},
 * {@code 5m}, {@code 1h}, {@code 1d}, or several parts such as {@code 1m30s}. Camel's own parser
 * reads {@code abc}, {@code -5s}, {@code 10x} or {@code 30S} as 0 ms; this one refuses them, and
 * says what was probably meant.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,12}(?:ms|s|m|h|d))+");

    private Durations() {}

    /**
     * The duration {@code text} stands for.
     *
     * @throws IllegalArgumentException saying why it is not a duration and how to write it
     */
    public static Duration parse(String text) {
        String t = text.trim();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        if (WHOLE.matcher(t).matches()) {
            Duration d = Duration.ZERO;
            Matcher m = PART.matcher(t);
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                d =
                        d.plus(
                                switch (m.group(2)) {
                                    case "ms" -> Duration.ofMillis(n);
                                    case "s" -> Duration.ofSeconds(n);
                                    case "m" -> Duration.ofMinutes(n);
                                    case "h" -> Duration.ofHours(n);
                                    default -> Duration.ofDays(n);
                                });
            }
            return d;
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration: " + hint(t));
    }

    /** How {@code d} is written in the documentation's style: {@code 2s}, {@code 150ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private static String hint(String t) {
        if (t.isEmpty()) {
            return "it is empty; write it as 100ms, 2s, 60s, 5m or 1h";
        }
        if (t.startsWith("-")) {
            return "a duration cannot be negative";
        }
        if (t.matches("\\d+")) {
            long n = Long.parseLong(t.length() > 12 ? t.substring(0, 12) : t);
            return "it has no unit (Camel would read it as "
                    + n
                    + " ms); write "
                    + n
                    + "ms"
                    + (n % 1000 == 0 && n > 0 ? " or " + n / 1000 + "s" : "")
                    + " for milliseconds, or "
                    + n
                    + "s for seconds";
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (!lower.equals(t) && WHOLE.matcher(lower).matches()) {
            return "units are written in lower case: did you mean " + lower + "?";
        }
        if (t.matches("\\d+[.,]\\d+(ms|s|m|h|d)")) {
            return "write whole numbers only, in a smaller unit (1500ms rather than 1.5s)";
        }
        if (t.matches("\\d+\\s+\\p{Alpha}+")) {
            String joined = t.replaceAll("\\s+", "");
            return WHOLE.matcher(joined).matches()
                    ? "write it without a space: " + joined
                    : "write it as 100ms, 2s, 60s, 5m or 1h";
        }
        return "write it as 100ms, 2s, 60s, 5m or 1h (units ms, s, m, h, d)";
    }
}
