package dev.hotbackup.link.jdbc;

import dev.hotbackup.arbiter.jdbc.Database;
import dev.hotbackup.emitter.HeartbeatEmitter;
import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatFrame;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeat link through a shared database, Web NMS's BEFailOver table in spirit: one row per
 * live host ({@code host}, {@code config}) holding the run it belongs to ({@code boot}, {@code
 * instance}), a counter that grows with every heartbeat ({@code lastcount}), LIVE or CLOSE, and the
 * time of the last update by the database's own clock ({@code updated_ms}).
 *
 * <p>The live host's emitter writes its row ({@link #write}: one UPDATE, an INSERT the first time).
 * The backup reads the whole table every check interval ({@link #poll}: one SELECT) and hands every
 * row whose counter moved to the monitor as a heartbeat, so the states, signals, activity log, mail
 * and route control are the TCP link's. A counter that does not move is no heartbeat: after
 * retry-count reads without one, the monitor's threshold makes the host DEAD. Only changes are
 * compared, on this instance's monotonic clock: the hosts' clocks never meet.
 *
 * <p>Not a Camel service on purpose: the bean component starts and stops a bean that is one with
 * the route that calls it, and the emitter's route stops while the listener still reads.
 */
public final class HeartbeatTable implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatTable.class);

    /** One row as read. */
    public record Row(
            String host,
            String config,
            long boot,
            long lastcount,
            FrameState state,
            long ageMillis) {}

    private final String url;
    private final String username;
    private final String password;
    private final String table;
    private final long timeoutMillis;
    private final String ownHost;
    private final String ownConfig;
    private final String instance;
    private volatile BiConsumer<HeartbeatFrame, String> heard = (frame, source) -> {};
    private final Map<String, long[]> seen = new HashMap<>();
    private volatile Database db;
    private volatile List<Row> lastRows = List.of();
    private volatile long lastReadNanos;
    private volatile String readError;
    private volatile long reads;

    /**
     * @param ownHost this instance's host and config: its own row is not watched
     * @param instance this run of this instance, written beside the row for people
     */
    public HeartbeatTable(
            String url,
            String username,
            String password,
            String table,
            long timeoutMillis,
            String ownHost,
            String ownConfig,
            String instance) {
        this.url = url;
        this.username = username;
        this.password = password;
        this.table = table;
        this.timeoutMillis = timeoutMillis;
        this.ownHost = ownHost;
        this.ownConfig = ownConfig;
        this.instance = instance;
    }

    /**
     * Where a row whose counter moved goes (the monitor), with the source the activity log names.
     */
    public void watchInto(BiConsumer<HeartbeatFrame, String> heard) {
        this.heard = heard;
    }

    /** The table's name, for people. */
    public String describe() {
        return "table " + table;
    }

    /**
     * Writes the frame the emitter made (the exchange property {@link HeartbeatEmitter#FRAME}): the
     * endpoint {@code bean:hotbackupHeartbeatTable?method=write} is the emitter's one target. A
     * failure is thrown, and the emitter reports the table unreachable (once, until it is reached
     * again).
     */
    public void write(Exchange exchange) throws SQLException {
        HeartbeatFrame f = exchange.getProperty(HeartbeatEmitter.FRAME, HeartbeatFrame.class);
        if (f == null) {
            throw new IllegalArgumentException("no heartbeat frame on the exchange");
        }
        write(f);
    }

    /** Writes one heartbeat into its host's row: one UPDATE, an INSERT the first time. */
    public void write(HeartbeatFrame f) throws SQLException {
        call(
                conn -> {
                    try (PreparedStatement up =
                            db.prepare(
                                    conn,
                                    "UPDATE "
                                            + table
                                            + " SET instance = ?, boot = ?, lastcount = ?,"
                                            + " state = ?, updated_ms = "
                                            + Database.NOW_MILLIS
                                            + " WHERE host = ? AND config = ?")) {
                        up.setString(1, instance);
                        up.setLong(2, f.boot());
                        up.setLong(3, f.seq());
                        up.setString(4, f.state().name());
                        up.setString(5, f.host());
                        up.setString(6, f.config());
                        if (up.executeUpdate() == 1) {
                            return null;
                        }
                    }
                    try (PreparedStatement ins =
                            db.prepare(
                                    conn,
                                    "INSERT INTO "
                                            + table
                                            + " (host, config, instance, boot, lastcount, state,"
                                            + " updated_ms) VALUES (?, ?, ?, ?, ?, ?, "
                                            + Database.NOW_MILLIS
                                            + ")")) {
                        ins.setString(1, f.host());
                        ins.setString(2, f.config());
                        ins.setString(3, instance);
                        ins.setLong(4, f.boot());
                        ins.setLong(5, f.seq());
                        ins.setString(6, f.state().name());
                        ins.executeUpdate();
                    }
                    return null;
                });
    }

    /**
     * Reads every row once (route {@code heartbeat-reader}) and hands each other host's row whose
     * counter moved since the last read to the monitor. A read that fails is logged when it starts
     * and stops failing, never once per read: the hosts are then not heard, as on a cut network.
     */
    public void poll() {
        List<Row> rows;
        try {
            rows = call(this::read);
        } catch (SQLException | RuntimeException e) {
            String why = Database.rootMessage(e);
            if (readError == null) {
                LOG.warn(
                        "Cannot read the heartbeat {}: {}; its hosts are not heard until it"
                                + " answers",
                        table,
                        why);
            }
            readError = why;
            return;
        }
        if (readError != null) {
            LOG.info("The heartbeat {} answers again", table);
            readError = null;
        }
        lastRows = rows;
        lastReadNanos = System.nanoTime();
        reads++;
        String source = "jdbc:" + table;
        for (Row r : rows) {
            if (r.host().equals(ownHost) && r.config().equals(ownConfig)) {
                continue;
            }
            long[] before = seen.get(r.host() + '/' + r.config());
            if (before != null && before[0] == r.boot() && before[1] == r.lastcount()) {
                continue; // not moved: no heartbeat
            }
            seen.put(r.host() + '/' + r.config(), new long[] {r.boot(), r.lastcount()});
            heard.accept(
                    new HeartbeatFrame(r.host(), r.config(), r.state(), r.boot(), r.lastcount(), 0),
                    source);
        }
    }

    private List<Row> read(Connection conn) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps =
                        db.prepare(
                                conn,
                                "SELECT host, config, boot, lastcount, state, "
                                        + Database.NOW_MILLIS
                                        + " - updated_ms FROM "
                                        + table
                                        + " ORDER BY host, config");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                FrameState state =
                        "CLOSE".equals(rs.getString(5)) ? FrameState.CLOSE : FrameState.LIVE;
                rows.add(
                        new Row(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getLong(3),
                                rs.getLong(4),
                                state,
                                rs.getLong(6)));
            }
        }
        return rows;
    }

    /** What the status shows: the rows of the last read, and whether reading fails now. */
    public Map<String, Object> view() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("kind", "jdbc");
        v.put("table", table);
        v.put("reads", reads);
        long last = lastReadNanos;
        v.put("lastReadMillisAgo", last == 0 ? null : (System.nanoTime() - last) / 1_000_000);
        v.put("error", readError);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Row r : lastRows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", r.host());
            m.put("config", r.config());
            m.put("boot", r.boot());
            m.put("lastcount", r.lastcount());
            m.put("state", r.state().name());
            m.put("updatedMillisAgo", r.ageMillis());
            rows.add(m);
        }
        v.put("rows", rows);
        return v;
    }

    /** The error of the last read, or {@code null} when it succeeded. */
    public String readError() {
        return readError;
    }

    private <T> T call(Database.Work<T> work) throws SQLException {
        Database d = db;
        if (d == null) {
            throw new SQLException("not started", "08003");
        }
        return d.call(work);
    }

    /**
     * Opens the pool and creates the table. A database that cannot be reached now is not an error
     * (the link says so and keeps trying); one that refuses for good is, naming why.
     *
     * @throws IllegalStateException with one line when no retry will help
     */
    public void open() {
        try {
            db =
                    new Database(
                            "hotbackup-link",
                            url,
                            username,
                            password,
                            timeoutMillis,
                            table,
                            "CREATE TABLE IF NOT EXISTS "
                                    + table
                                    + " (host VARCHAR(255) NOT NULL, config VARCHAR(255) NOT NULL,"
                                    + " instance VARCHAR(64) NOT NULL, boot BIGINT NOT NULL,"
                                    + " lastcount BIGINT NOT NULL, state VARCHAR(8) NOT NULL,"
                                    + " updated_ms BIGINT NOT NULL, PRIMARY KEY (host, config))");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        String unreachable;
        try {
            unreachable = db.prepare();
        } catch (Database.Refused e) {
            db = null;
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (unreachable != null) {
            LOG.warn(
                    "The heartbeat {} cannot be reached now ({}): trying again",
                    table,
                    unreachable);
        }
    }

    @Override
    public void close() {
        Database d = db;
        db = null;
        if (d != null) {
            d.close();
        }
    }
}
