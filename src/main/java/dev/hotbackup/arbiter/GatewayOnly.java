package dev.hotbackup.arbiter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code hotbackup.arbiter=none} with a gateway: no one to ask, so every lease is granted (epoch 0,
 * no fencing token) and never lapses; the {@link LeaseKeeper} grants it only while a gateway has
 * answered without a break for {@code resume-after} (so that a live host back from a cut leaves the
 * backup time to hear it and stop its copies), and fences a holder that reaches none for {@code
 * fence-after}. It keeps a host that is cut off from acting, not two hosts that both reach the
 * gateway from racing.
 */
public final class GatewayOnly implements Arbiter {

    @Override
    public String describe() {
        return "none (gateway check only)";
    }

    @Override
    public boolean arbitrates() {
        return false;
    }

    @Override
    public String start() {
        return null;
    }

    @Override
    public Attempt acquire(String key, Holder me, long leaseMillis) {
        return new Attempt.Granted(0);
    }

    @Override
    public Map<String, Attempt> renew(Map<String, Long> held, Holder me, long leaseMillis) {
        Map<String, Attempt> out = new LinkedHashMap<>();
        held.keySet().forEach(k -> out.put(k, new Attempt.Granted(0)));
        return out;
    }

    @Override
    public void release(String key, Holder me, long epoch) {}

    @Override
    public List<LeaseRecord> table() {
        return List.of();
    }

    @Override
    public void close() {}
}
