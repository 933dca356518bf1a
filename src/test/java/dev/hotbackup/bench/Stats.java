package dev.hotbackup.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Percentiles of a sample (nearest rank), and the count of trials that gave no value. */
record Stats(int n, int missing, long p50, long p95, long p99, long max, long min) {

    static Stats of(List<Long> values) {
        List<Long> got = new ArrayList<>();
        int missing = 0;
        for (Long v : values) {
            if (v == null || v < 0) {
                missing++;
            } else {
                got.add(v);
            }
        }
        Collections.sort(got);
        if (got.isEmpty()) {
            return new Stats(values.size(), missing, -1, -1, -1, -1, -1);
        }
        return new Stats(
                values.size(),
                missing,
                rank(got, 50),
                rank(got, 95),
                rank(got, 99),
                got.get(got.size() - 1),
                got.get(0));
    }

    private static long rank(List<Long> sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    /** Milliseconds as people read them. */
    static String ms(long v) {
        if (v < 0) {
            return "n/a";
        }
        return v >= 10_000 ? String.format(Locale.ROOT, "%.1f s", v / 1000.0) : v + " ms";
    }

    String row() {
        String tail =
                missing > 0 ? " (" + missing + " of " + n + " no failover within the bound)" : "";
        return ms(p50) + " | " + ms(p95) + " | " + ms(p99) + " | " + ms(max) + " | " + n + tail;
    }
}
