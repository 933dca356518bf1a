package dev.hotbackup.arbiter;

/**
 * A lease as the arbiter holds it.
 *
 * @param key the monitored {@code host/config} whose work the lease guards
 * @param holder who holds it, or held it last
 * @param epoch the fencing token of that grant
 * @param remainingMillis how long it stays valid without renewal, by the arbiter's clock: 0 when it
 *     has lapsed or was given back, -1 while it lives as long as its holder's session or lock
 */
public record LeaseRecord(String key, Holder holder, long epoch, long remainingMillis) {

    /** Whether someone holds it now. */
    public boolean held() {
        return remainingMillis != 0;
    }

    /** "held by hostA (instance ...), epoch 7, valid 4.2 s more by the arbiter's clock". */
    public String describe() {
        String by = "held by " + holder + ", epoch " + epoch;
        if (remainingMillis > 0) {
            return by
                    + ", "
                    + String.format(java.util.Locale.ROOT, "%.1f", remainingMillis / 1000.0)
                    + " s left by the arbiter's clock";
        }
        return remainingMillis < 0 ? by + ", for as long as it lives" : by + " (lapsed)";
    }
}
