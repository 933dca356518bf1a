package dev.hotbackup.monitor;

import dev.hotbackup.link.Names;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what the listener knows of each monitored pair across its own restarts, in {@code
 * <state-dir>/monitors}: the state, the replay watermark (boot, sequence) and where to probe. A
 * backup that restarts in the middle of a takeover takes over again if the host is still silent,
 * and frames recorded before the restart stay refused. Written whole to a temporary file and
 * renamed, so a crash leaves the previous version.
 */
final class MonitorStore {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorStore.class);
    private static final String HEADER = "hotbackup-monitors v1";

    /** One pair as saved. */
    record Saved(
            MonitorKey key,
            MonitorState state,
            long boot,
            long seq,
            String address,
            int probePort,
            long sinceMillis) {}

    private final Path file;

    MonitorStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** What was saved; an unreadable line is skipped with a warning, a missing file is empty. */
    List<Saved> load() {
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

    void save(List<Saved> monitors) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (Saved s : monitors) {
            text.append(Names.encode(s.key().host()))
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
                    .append('\n');
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "monitors", ".tmp");
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
