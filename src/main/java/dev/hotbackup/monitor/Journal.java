package dev.hotbackup.monitor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the listener knows of each host, kept across restarts (in {@code hotbackup.state-dir}): each
 * transition is appended before anything acts on it, so a backup killed right after a takeover
 * takes over again when it restarts; the whole state is saved after a transition and every second
 * while replay watermarks move. Without a file, nothing is kept.
 */
final class Journal implements MonitorListener {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    /** How often the saved state follows the replay watermark when no state changed. */
    private static final long SAVE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final MonitorStore store;
    private final Monitors monitors;
    private final AtomicBoolean changed = new AtomicBoolean();
    private long lastSave;

    /**
     * @param file where the state is kept, or {@code null} to keep it in memory only
     */
    Journal(Path file, Monitors monitors) {
        this.store = file == null ? null : new MonitorStore(file);
        this.monitors = monitors;
    }

    @Override
    public void changed(MonitorEvent event) {
        changed.set(true);
        if (store != null) {
            // on disk before anything acts on the signal
            store.append(event.saved());
        }
    }

    /** A host was forgotten: the next save leaves it out. */
    void forgot() {
        changed.set(true);
    }

    /**
     * Loads the saved hosts as WAITING, each remembering its saved state until it is heard or
     * probed.
     *
     * @return the hosts that were CLOSE: their signal is repeated once the routes run
     */
    List<Monitor> restore(long now) {
        List<Monitor> close = new ArrayList<>();
        if (store == null) {
            return close;
        }
        for (MonitorStore.Saved s : store.load()) {
            Monitor m = new Monitor(s.key(), now);
            m.boot = s.boot();
            m.seq = s.seq();
            m.remoteAddress = s.address();
            m.probePort = s.probePort();
            if (s.state() != MonitorState.WAITING) {
                m.restored = s.state();
            }
            if (s.state() == MonitorState.CLOSE) {
                close.add(m);
            }
            monitors.put(m);
        }
        if (monitors.size() > 0) {
            LOG.info("Restored {} monitored hosts from {}", monitors.size(), store.file());
        }
        return close;
    }

    /**
     * Saves at once after a state change, and at most every second for the watermark.
     *
     * @param watermarkMoved says, and forgets, whether a replay watermark moved since it was last
     *     asked; asked only when a save for it is due
     */
    void saveIfDue(long now, BooleanSupplier watermarkMoved) {
        if (store == null) {
            return;
        }
        boolean stateChanged = changed.getAndSet(false);
        if (!stateChanged && (now - lastSave < SAVE_NANOS || !watermarkMoved.getAsBoolean())) {
            return;
        }
        lastSave = now;
        save();
    }

    private void save() {
        try {
            store.save(
                    () -> {
                        List<MonitorStore.Saved> all = new ArrayList<>(monitors.size());
                        for (Monitor m : monitors.all()) {
                            synchronized (m) {
                                all.add(m.saved());
                            }
                        }
                        return all;
                    });
        } catch (IOException e) {
            LOG.warn("Cannot save monitor state to {}: {}", store.file(), e.getMessage());
        }
    }

    /** Saves everything and closes the file. */
    void close() {
        if (store != null) {
            save();
            store.close();
        }
    }
}
