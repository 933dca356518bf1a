package dev.hotbackup.monitor;

import dev.hotbackup.link.Names;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what the listener knows of each monitored host across its own restarts, in {@code
 * <state-dir>/monitors}: the state, the replay watermark (boot, sequence) and where to probe. A
 * backup that restarts in the middle of a takeover takes over again if the host is still silent,
 * and frames recorded before the restart stay refused.
 *
 * <p>Every state change is appended at once to {@code monitors.journal}, before its signal is
 * handed on, so a backup killed right after a takeover still knows of it. The whole snapshot is
 * written now and then to a temporary file and renamed (a crash leaves the previous version), and
 * the journal then starts again.
 */
final class MonitorStore {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorStore.class);
    private static final String HEADER = "hotbackup-monitors v1";

    /** One monitored host as saved. */
    record Saved(
            MonitorKey key,
            MonitorState state,
            long boot,
            long seq,
            String address,
            int probePort,
            long sinceMillis) {}

    private final Path file;
    private final Path journal;
    private final Path rotated;
    private Writer journalWriter;

    MonitorStore(Path file) {
        this.file = file;
        this.journal = file.resolveSibling(file.getFileName() + ".journal");
        this.rotated = file.resolveSibling(file.getFileName() + ".journal.old");
    }

    Path file() {
        return file;
    }

    /**
     * What was saved: the snapshot, then the journal's changes over it. An unreadable line is
     * skipped with a warning; missing files are empty.
     */
    List<Saved> load() {
        Map<String, Saved> byKey = new LinkedHashMap<>();
        for (Saved s : loadSnapshot()) {
            byKey.put(s.key().id(), s);
        }
        for (Path j : List.of(rotated, journal)) {
            if (!Files.exists(j)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(j, StandardCharsets.US_ASCII)) {
                    Saved s = parse(line);
                    if (s != null) {
                        byKey.put(s.key().id(), s);
                    }
                }
            } catch (IOException e) {
                LOG.warn("Cannot read {}: {}", j, e.getMessage());
            }
        }
        return new ArrayList<>(byKey.values());
    }

    /** Appends one change to the journal; the caller holds the host's lock. */
    synchronized void append(Saved s) {
        try {
            if (journalWriter == null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                journalWriter =
                        Files.newBufferedWriter(
                                journal,
                                StandardCharsets.US_ASCII,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.APPEND);
            }
            journalWriter.write(line(s));
            journalWriter.flush();
        } catch (IOException e) {
            LOG.warn("Cannot append to {}: {}", journal, e.getMessage());
        }
    }

    synchronized void close() {
        if (journalWriter != null) {
            try {
                journalWriter.close();
            } catch (IOException e) {
                LOG.debug("Closing {}: {}", journal, e.getMessage());
            }
            journalWriter = null;
        }
    }

    private List<Saved> loadSnapshot() {
        List<Saved> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            if (lines.isEmpty() || !HEADER.equals(lines.get(0))) {
                LOG.warn("Ignoring {}: not a monitor state file", file);
                return out;
            }
            for (String line : lines.subList(1, lines.size())) {
                Saved s = parse(line);
                if (s == null) {
                    LOG.warn("Ignoring a bad line in {}: {}", file, line);
                } else {
                    out.add(s);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot read {}: {}; starting without saved state", file, e.getMessage());
        }
        return out;
    }

    /**
     * Writes the whole snapshot. The journal is set aside first and {@code collect} runs after, so
     * every change is either in the snapshot or in the new journal.
     */
    void save(Supplier<List<Saved>> collect) throws IOException {
        synchronized (this) {
            close();
            if (Files.exists(journal)) {
                Files.move(journal, rotated, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (Saved s : collect.get()) {
            text.append(line(s));
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "monitors", ".tmp");
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(rotated);
    }

    private static String line(Saved s) {
        return new StringBuilder()
                .append(Names.encode(s.key().host()))
                .append('\t')
                .append(Names.encode(s.key().config()))
                .append('\t')
                .append(s.state().name())
                .append('\t')
                .append(s.boot())
                .append('\t')
                .append(s.seq())
                .append('\t')
                .append(s.address() == null ? "-" : s.address())
                .append('\t')
                .append(s.probePort())
                .append('\t')
                .append(s.sinceMillis())
                .append('\n')
                .toString();
    }

    private static Saved parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 8) {
            return null;
        }
        try {
            String host = Names.decode(f[0]);
            String config = Names.decode(f[1]);
            if (host == null || config == null) {
                return null;
            }
            return new Saved(
                    new MonitorKey(host, config),
                    MonitorState.valueOf(f[2]),
                    Long.parseLong(f[3]),
                    Long.parseLong(f[4]),
                    "-".equals(f[5]) ? null : f[5],
                    Integer.parseInt(f[6]),
                    Long.parseLong(f[7]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
