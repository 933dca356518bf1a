package dev.hotbackup.link.jdbc;

import dev.hotbackup.arbiter.jdbc.Database;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configuration backup through the database (Web NMS's BACKUP_INTERVAL with its include and exclude
 * lists): every interval the primary of a pair writes what would travel of its configuration
 * ({@link ConfigFiles}) into the table {@code <heartbeat table>_config} when it changed, as one
 * generation in one transaction; the standby reads the newest generation in one statement, checks
 * it is whole, and writes it into {@code <folder>/gen-N} next to the copy it has, then switches the
 * link {@code <folder>/current} to it in one rename: {@code current} is always one whole copy. The
 * standby's own files are never touched. Both compare their own configuration with the copy by
 * content hash: a difference is a drift, reported once when it starts and once when it ends.
 */
public final class ConfigBackup {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigBackup.class);

    /** The manifest row's path: its generation, file count and set hash. */
    static final String MANIFEST = "";

    private final HeartbeatTable table;
    private final String configTable;
    private final String config;
    private final String host;
    private final Path base;
    private final List<String> include;
    private final List<String> exclude;
    private final Path folder;
    private volatile BiConsumer<String, String> events = (state, detail) -> {};

    /** Called after each row written (tests: a copy interrupted mid-way). */
    volatile Runnable afterRow = () -> {};

    /** Called after each file written into a new generation (tests: a standby stopped mid-way). */
    volatile Runnable afterFile = () -> {};

    private volatile String lastWrittenHash;
    private volatile long generation = -1;
    private volatile String copiedAt;
    private volatile String copiedBy;
    private volatile String copyHash;
    private volatile SortedMap<String, String> copyHashes = new TreeMap<>();
    private volatile String ownHash;
    private volatile List<String> differences = List.of();
    private volatile Boolean drift;
    private volatile List<String> skipped = List.of();
    private volatile String error;
    private volatile String lastWrittenAt;

    /**
     * @param base the working directory the include and exclude lists are relative to
     * @param folder where the standby keeps the copy
     */
    public ConfigBackup(
            HeartbeatTable table,
            String host,
            String config,
            Path base,
            List<String> include,
            List<String> exclude,
            Path folder) {
        this.table = table;
        this.configTable = table.tableName() + "_config";
        this.host = host;
        this.config = config;
        this.base = base;
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        this.folder = folder;
        readCurrent();
    }

    /** The create statement of the table, run with the heartbeat table's. */
    static String ddl(String heartbeatTable) {
        return "CREATE TABLE IF NOT EXISTS "
                + heartbeatTable
                + "_config (config VARCHAR(255) NOT NULL, path VARCHAR(1024) NOT NULL,"
                + " generation BIGINT NOT NULL, written_by VARCHAR(255) NOT NULL, hash VARCHAR(64)"
                + " NOT NULL, content VARCHAR(1000000) NOT NULL, PRIMARY KEY (config, path))";
    }

    /** Where drifts go (the activity log and mail): state {@code DRIFT} or {@code SAME}, detail. */
    public void eventsTo(BiConsumer<String, String> events) {
        this.events = events;
    }

    /** One round: the primary writes, the standby reads; both compare. Never throws. */
    public void run() {
        PairRole p = table.pair();
        try {
            ConfigFiles.Snapshot own = ConfigFiles.snapshot(base, include, exclude);
            ownHash = own.hash();
            report(own.skipped());
            if (p != null && p.current() == PairRole.Role.PRIMARY) {
                write(own);
            } else {
                read();
            }
            compare(own);
            if (error != null) {
                LOG.info("Configuration backup works again");
            }
            error = null;
        } catch (IOException | SQLException | RuntimeException e) {
            String why = Database.rootMessage(e);
            if (!why.equals(error)) {
                LOG.warn("Configuration backup failed: {}; trying again next interval", why);
            }
            error = why;
        }
    }

    private void report(List<String> nowSkipped) {
        if (!nowSkipped.equals(skipped) && !nowSkipped.isEmpty()) {
            LOG.warn("Configuration backup leaves out {}", nowSkipped);
        }
        skipped = nowSkipped;
    }

    /** The primary: a new generation when what would travel changed, in one transaction. */
    private void write(ConfigFiles.Snapshot own) throws SQLException {
        String hash = own.hash();
        if (hash.equals(lastWrittenHash)) {
            return;
        }
        long written =
                table.call(
                        conn -> {
                            long last = -1;
                            String lastHash = null;
                            try (PreparedStatement ps =
                                    table.db()
                                            .prepare(
                                                    conn,
                                                    "SELECT generation, hash FROM "
                                                            + configTable
                                                            + " WHERE config = ? AND path = ?"
                                                            + " FOR UPDATE")) {
                                ps.setString(1, config);
                                ps.setString(2, MANIFEST);
                                try (ResultSet rs = ps.executeQuery()) {
                                    if (rs.next()) {
                                        last = rs.getLong(1);
                                        lastHash = rs.getString(2);
                                    }
                                }
                            }
                            if (hash.equals(lastHash)) {
                                return -1L; // the same configuration is there already
                            }
                            long next = last + 1;
                            try (PreparedStatement del =
                                    table.db()
                                            .prepare(
                                                    conn,
                                                    "DELETE FROM "
                                                            + configTable
                                                            + " WHERE config = ?")) {
                                del.setString(1, config);
                                del.executeUpdate();
                            }
                            try (PreparedStatement ins =
                                    table.db()
                                            .prepare(
                                                    conn,
                                                    "INSERT INTO "
                                                            + configTable
                                                            + " (config, path, generation,"
                                                            + " written_by, hash, content) VALUES"
                                                            + " (?, ?, ?, ?, ?, ?)")) {
                                for (Map.Entry<String, byte[]> f : own.files().entrySet()) {
                                    insert(
                                            ins,
                                            f.getKey(),
                                            next,
                                            ConfigFiles.sha256(f.getValue()),
                                            Base64.getEncoder().encodeToString(f.getValue()));
                                    afterRow.run();
                                }
                                insert(
                                        ins,
                                        MANIFEST,
                                        next,
                                        hash,
                                        Integer.toString(own.files().size()));
                            }
                            return next;
                        });
        lastWrittenHash = hash;
        if (written >= 0) {
            generation = written;
            lastWrittenAt =
                    Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            copyHash = hash;
            copyHashes = own.hashes();
            LOG.info(
                    "Configuration copied for the standby: generation {}, {} files",
                    written,
                    own.files().size());
        }
    }

    private void insert(PreparedStatement ins, String path, long gen, String hash, String content)
            throws SQLException {
        ins.setString(1, config);
        ins.setString(2, path);
        ins.setLong(3, gen);
        ins.setString(4, host);
        ins.setString(5, hash);
        ins.setString(6, content);
        ins.executeUpdate();
    }

    /** One generation as read: whole, or {@code null}. */
    private record Copy(
            long generation,
            String writtenBy,
            String hash,
            SortedMap<String, byte[]> files,
            SortedMap<String, String> hashes) {}

    /** The standby: the newest whole generation, written beside the current one and switched. */
    private void read() throws SQLException, IOException {
        Copy c = table.call(this::newest);
        if (c == null || c.generation() == generation) {
            return;
        }
        apply(c);
        generation = c.generation();
        copiedBy = c.writtenBy();
        copiedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        copyHash = c.hash();
        copyHashes = c.hashes();
        LOG.info(
                "Configuration of {} copied into {}: generation {}, {} files",
                c.writtenBy(),
                folder.resolve("current"),
                c.generation(),
                c.files().size());
    }

    /** Every row of the config in one statement: one transaction's generation, checked whole. */
    private Copy newest(Connection conn) throws SQLException {
        SortedMap<String, byte[]> files = new TreeMap<>();
        long gen = -1;
        String by = null;
        String hash = null;
        int count = -1;
        boolean damaged = false;
        Set<Long> generations = new HashSet<>();
        SortedMap<String, String> hashes = new TreeMap<>();
        try (PreparedStatement ps =
                table.db()
                        .prepare(
                                conn,
                                "SELECT path, generation, written_by, hash, content FROM "
                                        + configTable
                                        + " WHERE config = ? ORDER BY path")) {
            ps.setString(1, config);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    generations.add(rs.getLong(2));
                    if (rs.getString(1).equals(MANIFEST)) {
                        gen = rs.getLong(2);
                        by = rs.getString(3);
                        hash = rs.getString(4);
                        count = Integer.parseInt(rs.getString(5));
                    } else {
                        byte[] b = Base64.getDecoder().decode(rs.getString(5));
                        String h = ConfigFiles.sha256(b);
                        damaged |= !h.equals(rs.getString(4));
                        files.put(rs.getString(1), b);
                        hashes.put(rs.getString(1), h);
                    }
                }
            }
        }
        if (gen < 0) {
            return null;
        }
        if (damaged
                || generations.size() != 1
                || files.size() != count
                || !ConfigFiles.setHash(hashes).equals(hash)) {
            throw new SQLException(
                    "generation " + gen + " of the configuration copy is not whole: not applied");
        }
        return new Copy(gen, by, hash, files, hashes);
    }

    /** Writes {@code c} into a new folder, then points {@code current} at it in one rename. */
    private void apply(Copy c) throws IOException {
        Files.createDirectories(folder);
        clean(null);
        Path tmp = folder.resolve(".gen-" + c.generation() + ".tmp");
        deleteTree(tmp);
        for (Map.Entry<String, byte[]> f : c.files().entrySet()) {
            Path target = tmp.resolve(f.getKey()).normalize();
            if (!target.startsWith(tmp)) {
                throw new IOException("refused path " + f.getKey() + ": outside the copy");
            }
            Files.createDirectories(target.getParent());
            Files.write(target, f.getValue());
            afterFile.run();
        }
        Files.createDirectories(tmp);
        Path done = folder.resolve("gen-" + c.generation());
        deleteTree(done);
        Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE);
        Path link = folder.resolve(".current.tmp");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, done.getFileName());
        try {
            Files.move(
                    link,
                    folder.resolve("current"),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            throw new IOException("cannot switch " + folder.resolve("current") + ": " + e, e);
        }
        clean(done);
    }

    /**
     * Removes generations but {@code keep} and the one {@code current} points at, and leftovers.
     */
    private void clean(Path keep) throws IOException {
        Path current = currentTarget();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path p : list.toList()) {
                String n = p.getFileName().toString();
                boolean old = n.startsWith("gen-") || (n.startsWith(".gen-") && n.endsWith(".tmp"));
                if (old && !p.equals(keep) && !p.equals(current)) {
                    deleteTree(p);
                }
            }
        }
    }

    private Path currentTarget() {
        Path link = folder.resolve("current");
        try {
            if (Files.isSymbolicLink(link)) {
                return folder.resolve(Files.readSymbolicLink(link)).normalize();
            }
        } catch (IOException e) {
            // none
        }
        return null;
    }

    /** At start: the generation the standby's {@code current} holds, if any. */
    private void readCurrent() {
        Path t = currentTarget();
        if (t != null && Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS)) {
            try {
                generation = Long.parseLong(t.getFileName().toString().substring(4));
                SortedMap<String, String> hashes = new TreeMap<>();
                try (Stream<Path> walk = Files.walk(t)) {
                    for (Path f : walk.filter(Files::isRegularFile).toList()) {
                        hashes.put(
                                t.relativize(f).toString().replace('\\', '/'),
                                ConfigFiles.sha256(Files.readAllBytes(f)));
                    }
                }
                copyHashes = hashes;
                copyHash = ConfigFiles.setHash(hashes);
            } catch (IOException | RuntimeException e) {
                generation = -1;
            }
        }
    }

    private void compare(ConfigFiles.Snapshot own) {
        if (copyHash == null) {
            return; // nothing to compare with yet
        }
        List<String> now = ConfigFiles.differences(own.hashes(), copyHashes);
        boolean drifting = !now.isEmpty();
        Boolean before = drift;
        drift = drifting;
        differences = now;
        PairRole p = table.pair();
        if (p != null && p.current() == PairRole.Role.PRIMARY) {
            return; // the primary compares with what it wrote itself: never a drift
        }
        if (before == null ? drifting : before != drifting) {
            String detail =
                    drifting
                            ? "this host's configuration differs from the primary's copy"
                                    + (copiedBy == null ? "" : " (" + copiedBy + ")")
                                    + ": "
                                    + String.join(", ", now.subList(0, Math.min(10, now.size())))
                                    + (now.size() > 10 ? " and " + (now.size() - 10) + " more" : "")
                                    + "; the copy is in "
                                    + folder.resolve("current")
                            : "this host's configuration is the primary's again";
            if (drifting) {
                LOG.warn("Configuration drift: {}", detail);
            } else {
                LOG.info("Configuration drift ended: {}", detail);
            }
            events.accept(drifting ? "DRIFT" : "SAME", detail);
        }
    }

    /** What the status shows. */
    public Map<String, Object> view() {
        Map<String, Object> v = new LinkedHashMap<>();
        PairRole p = table.pair();
        boolean primary = p != null && p.current() == PairRole.Role.PRIMARY;
        v.put("direction", primary ? "sends" : "receives");
        v.put("generation", generation < 0 ? null : generation);
        v.put("lastCopy", primary ? lastWrittenAt : copiedAt);
        v.put("copiedFrom", primary ? host : copiedBy);
        v.put("folder", folder.resolve("current").toString());
        v.put("ownHash", ownHash);
        v.put("copyHash", copyHash);
        v.put("drift", primary ? Boolean.FALSE : drift);
        v.put("differences", primary ? List.of() : differences);
        v.put("skipped", skipped);
        v.put("error", error);
        return v;
    }

    /** Whether this host's configuration differs from the copy, or {@code null} before a copy. */
    public Boolean drift() {
        return drift;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
