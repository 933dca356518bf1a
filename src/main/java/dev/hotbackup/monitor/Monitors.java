package dev.hotbackup.monitor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state holder: one {@link Monitor} per monitored host, the only place a state changes, and the
 * listeners told of each change (the journal first, so a change is on disk before anything acts on
 * it, then the verifier and the signal publisher). Also remembers the replay watermark of hosts it
 * forgot, so that frames recorded before an eviction cannot bring them back.
 */
final class Monitors {

    private static final Logger LOG = LoggerFactory.getLogger(Monitors.class);

    /** Watermarks of forgotten hosts kept, about 100 bytes each; the oldest go first. */
    static final int FORGOTTEN_MAX = 100_000;

    private final ConcurrentHashMap<String, Monitor> byId = new ConcurrentHashMap<>();
    private final Map<String, long[]> forgotten =
            Collections.synchronizedMap(
                    new LinkedHashMap<>(16, 0.75f, false) {
                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                            return size() > FORGOTTEN_MAX;
                        }
                    });
    private final List<MonitorListener> listeners = new CopyOnWriteArrayList<>();
    private final LongSupplier clock;

    Monitors(LongSupplier clock) {
        this.clock = clock;
    }

    /** Adds a listener; listeners are told in the order they were added. */
    void listen(MonitorListener listener) {
        listeners.add(listener);
    }

    long now() {
        return clock.getAsLong();
    }

    Monitor get(String id) {
        return byId.get(id);
    }

    Monitor get(MonitorKey key) {
        return byId.get(key.id());
    }

    /** The host's monitor, created WAITING (with its watermark, if it was forgotten). */
    Monitor getOrCreate(MonitorKey key, long now) {
        return getOrCreate(key, key.id(), now);
    }

    /** The same, with the key's {@link MonitorKey#id()} made once by the caller. */
    Monitor getOrCreate(MonitorKey key, String id, long now) {
        Monitor known = byId.get(id);
        if (known != null) {
            return known; // every frame but a host's first: no lock of computeIfAbsent's
        }
        return byId.computeIfAbsent(
                id,
                k -> {
                    Monitor m = new Monitor(key, now);
                    long[] mark = forgotten.remove(k);
                    if (mark != null) {
                        m.boot = mark[0];
                        m.seq = mark[1];
                    }
                    return m;
                });
    }

    /** Adds a monitor restored from the journal or listed as expected. */
    void put(Monitor m) {
        byId.put(m.key.id(), m);
    }

    Collection<Monitor> all() {
        return byId.values();
    }

    int size() {
        return byId.size();
    }

    /**
     * The watermark (boot, sequence) of a forgotten host, or {@code null}: a frame not newer than
     * it is a replay.
     */
    long[] forgottenMark(String id) {
        return forgotten.isEmpty() ? null : forgotten.get(id);
    }

    /** Forgets a host, keeping its watermark; {@code false} if it changed meanwhile. */
    boolean forget(Monitor m) {
        if (!byId.remove(m.key.id(), m)) {
            return false;
        }
        synchronized (m) {
            forgotten.put(m.key.id(), new long[] {m.boot, m.seq});
        }
        return true;
    }

    /**
     * Moves a host to {@code to} and tells every listener. The caller holds the monitor's lock,
     * which keeps the events of one host in order.
     *
     * @throws IllegalStateException for a transition that cannot happen
     */
    void transition(Monitor m, MonitorState to, String detail, long now) {
        MonitorState from = m.state;
        m.state = from.moveTo(to);
        m.stateSinceNanos = now;
        m.stateSince = Instant.now();
        LOG.info("{}: {} -> {} ({})", m.key, from, to, detail);
        MonitorEvent event = new MonitorEvent(m.key, from, to, detail, m.stateSince, m.saved());
        for (MonitorListener l : listeners) {
            l.changed(event);
        }
    }

    /** Every host's view at one instant of the monotonic clock, sorted by host then config. */
    List<MonitorView> views() {
        long now = now();
        List<MonitorView> out = new ArrayList<>();
        for (Monitor m : byId.values()) {
            out.add(view(m, now));
        }
        out.sort(
                Comparator.comparing((MonitorView v) -> v.key().host())
                        .thenComparing(v -> v.key().config()));
        return out;
    }

    static MonitorView view(Monitor m, long now) {
        synchronized (m) {
            return new MonitorView(
                    m.key,
                    m.state,
                    now - m.stateSinceNanos,
                    m.stateSince,
                    m.lastHeardNanos == 0 ? -1 : now - m.lastHeardNanos,
                    m.remoteAddress,
                    m.expected);
        }
    }
}
