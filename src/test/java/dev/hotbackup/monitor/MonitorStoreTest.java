package dev.hotbackup.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorStoreTest {

    @TempDir Path dir;

    private static MonitorStore.Saved saved(String host, MonitorState state, long seq) {
        return new MonitorStore.Saved(
                new MonitorKey(host, "base"), state, 10, seq, "127.0.0.1", 7801, 0);
    }

    @Test
    void journalledChangesSurviveACrashBeforeTheNextSnapshot() throws Exception {
        MonitorStore store = new MonitorStore(dir.resolve("monitors"));
        store.save(
                () -> List.of(saved("a", MonitorState.LIVE, 5), saved("b", MonitorState.LIVE, 9)));
        store.append(saved("a", MonitorState.DEAD, 6));
        // no close, no snapshot: as if killed

        List<MonitorStore.Saved> loaded = new MonitorStore(dir.resolve("monitors")).load();

        assertEquals(
                List.of(saved("a", MonitorState.DEAD, 6), saved("b", MonitorState.LIVE, 9)),
                loaded);
    }

    @Test
    void aJournalSetAsideByAnInterruptedSnapshotIsStillRead() throws Exception {
        MonitorStore store = new MonitorStore(dir.resolve("monitors"));
        store.append(saved("a", MonitorState.DEAD, 6));
        store.close();
        Files.move(dir.resolve("monitors.journal"), dir.resolve("monitors.journal.old"));
        store.append(saved("b", MonitorState.CLOSE, 3));

        List<MonitorStore.Saved> loaded = new MonitorStore(dir.resolve("monitors")).load();

        assertEquals(
                List.of(saved("a", MonitorState.DEAD, 6), saved("b", MonitorState.CLOSE, 3)),
                loaded);
    }

    @Test
    void aSnapshotReplacesTheJournal() throws Exception {
        MonitorStore store = new MonitorStore(dir.resolve("monitors"));
        store.append(saved("a", MonitorState.DEAD, 6));
        store.save(() -> List.of(saved("a", MonitorState.LIVE, 8)));

        assertEquals(
                List.of(saved("a", MonitorState.LIVE, 8)),
                new MonitorStore(dir.resolve("monitors")).load());
        assertEquals(false, Files.exists(dir.resolve("monitors.journal")));
    }
}
