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
            String role,
            long ageMillis) {}

    /** The role written by an instance without roles ({@code hotbackup.role=configured}). */
    static final String PLAIN = "LIVE";

    /**
     * How long a standby's registration row (boot 0, counter 0) may wait for its first heartbeat
     * before the primary takes it for stopped: Camel starts its routes after the registration.
     */
    static final long STARTING_MILLIS = 60_000;

    /** The host of the row whose lock orders registrations of one config. */
    static final String ANCHOR = "";

    /** Thrown when the table refuses this instance a role: one line naming the pair. */
    public static final class NoRoom extends Exception {
        NoRoom(String message) {
            super(message);
        }
    }

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
    private volatile long thresholdMillis = Long.MAX_VALUE;
    private volatile boolean configTable;
    private volatile int retryCount = Integer.MAX_VALUE;
    private volatile PairRole pair;
    private volatile boolean noRoom;
    private volatile BiConsumer<String, String> events = (state, detail) -> {};
    private volatile java.util.function.Consumer<String> refused = why -> {};
    private final Map<String, long[]> standbys = new HashMap<>();

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

    /**
     * The threshold of the link: a row not updated for longer is no live instance (it is not heard
     * on first sight, and it does not count when roles are registered); a standby row whose counter
     * stood still for {@code retryCount} reads is deregistered by the primary.
     */
    public HeartbeatTable threshold(long thresholdMillis, int retryCount) {
        this.thresholdMillis = thresholdMillis;
        this.retryCount = retryCount;
        return this;
    }

    /**
     * Where the table's events go (deregistered standbys, the pair's role changes): state and
     * detail, for the activity log.
     */
    public void eventsTo(BiConsumer<String, String> events) {
        this.events = events;
    }

    /**
     * What happens when this instance finds at run time that there is no room for it in the pair
     * any more (deregistered while it could not write, and another standby registered since): the
     * wiring stops it.
     */
    public void whenRefused(java.util.function.Consumer<String> refused) {
        this.refused = refused;
    }

    /** This instance's role in the pair, or {@code null} without roles. */
    public PairRole pair() {
        return pair;
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

    /**
     * Writes one heartbeat into its host's row: one UPDATE, an INSERT the first time. With roles,
     * the row is this instance's only while its {@code instance} column says so: a row that is gone
     * (the primary deregistered this standby while it could not write) is registered again, and
     * when there is no room for it any more, {@link #whenRefused} is told, once, and nothing is
     * written from then on.
     */
    public void write(HeartbeatFrame f) throws SQLException {
        if (noRoom) {
            return; // refused once: this instance has no row any more, and is stopping
        }
        PairRole p = pair;
        String current = p == null ? PLAIN : p.current().name();
        // the usual heartbeat: one statement, committed on its own, so that an instance that
        // hangs right after it holds no lock on its row (the primary deletes a stopped standby's)
        if (started()
                .callEachStatement(
                        conn ->
                                update(
                                        conn,
                                        f.host(),
                                        f.config(),
                                        current,
                                        f.boot(),
                                        f.seq(),
                                        f.state(),
                                        p != null))) {
            return;
        }
        // the row is not there (the first write, or deregistered): written again in one
        // transaction, under the pair's registration rules when there is a pair
        String refusal =
                call(
                        conn -> {
                            String role = current;
                            if (p != null) {
                                PairRegistry.Decision d =
                                        new PairRegistry(this)
                                                .decide(
                                                        conn,
                                                        f.host(),
                                                        f.config(),
                                                        p.current() == PairRole.Role.STANDBY);
                                if (d.refusal() != null) {
                                    return d.refusal();
                                }
                                role = d.role().name();
                                LOG.warn(
                                        "This instance's row in the heartbeat {} was gone (deregistered"
                                                + " while it could not write): registered again as {}",
                                        table,
                                        role);
                            }
                            insertOrUpdate(
                                    conn, f.host(), f.config(), role, f.boot(), f.seq(), f.state());
                            return null;
                        });
        if (refusal != null) {
            noRoom = true;
            refused.accept(refusal);
        }
    }

    /** Updates this host's row; with {@code mine}, only while this instance owns it. */
    private boolean update(
            Connection conn,
            String host,
            String config,
            String role,
            long boot,
            long seq,
            FrameState state,
            boolean mine)
            throws SQLException {
        try (PreparedStatement up =
                db.prepare(
                        conn,
                        "UPDATE "
                                + table
                                + " SET instance = ?, boot = ?, lastcount = ?, state = ?, role = ?,"
                                + " updated_ms = "
                                + Database.NOW_MILLIS
                                + " WHERE host = ? AND config = ?"
                                + (mine ? " AND instance = ?" : ""))) {
            up.setString(1, instance);
            up.setLong(2, boot);
            up.setLong(3, seq);
            up.setString(4, state.name());
            up.setString(5, role);
            up.setString(6, host);
            up.setString(7, config);
            if (mine) {
                up.setString(8, instance);
            }
            return up.executeUpdate() == 1;
        }
    }

    void insertOrUpdate(
            Connection conn,
            String host,
            String config,
            String role,
            long boot,
            long seq,
            FrameState state)
            throws SQLException {
        if (update(conn, host, config, role, boot, seq, state, false)) {
            return;
        }
        try (PreparedStatement ins =
                db.prepare(
                        conn,
                        "INSERT INTO "
                                + table
                                + " (host, config, instance, boot, lastcount, state, role,"
                                + " updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, "
                                + Database.NOW_MILLIS
                                + ")")) {
            ins.setString(1, host);
            ins.setString(2, config);
            ins.setString(3, instance);
            ins.setLong(4, boot);
            ins.setLong(5, seq);
            ins.setString(6, state.name());
            ins.setString(7, role);
            ins.executeUpdate();
        }
    }

    /**
     * Registers this instance in its pair ({@link PairRegistry}) and keeps its role for the rows it
     * writes from now on.
     *
     * @throws NoRoom with one line naming the registered instances
     */
    public PairRole register(boolean standbyOnly, long checkMillis) throws NoRoom {
        pair = new PairRegistry(this).register(standbyOnly, checkMillis);
        return pair;
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
        PairRole p = pair;
        for (Row r : rows) {
            if (r.host().equals(ownHost) && r.config().equals(ownConfig)) {
                continue;
            }
            if (PairRole.Role.STANDBY.name().equals(r.role())) {
                // a standby is no host to take over; the primary watches it to deregister it
                if (p != null
                        && p.current() == PairRole.Role.PRIMARY
                        && r.config().equals(ownConfig)) {
                    watchStandby(r);
                }
                continue;
            }
            String k = r.host() + '/' + r.config();
            long[] before = seen.get(k);
            if (before != null && before[0] == r.boot() && before[1] == r.lastcount()) {
                continue; // not moved: no heartbeat
            }
            seen.put(k, new long[] {r.boot(), r.lastcount()});
            if (before == null && r.ageMillis() > thresholdMillis) {
                continue; // not updated within the threshold: a host gone before this read
            }
            heard.accept(
                    new HeartbeatFrame(r.host(), r.config(), r.state(), r.boot(), r.lastcount(), 0),
                    source);
        }
    }

    /**
     * The primary's watch on its standby: a standby row that stopped (CLOSE, or a counter that
     * stood still for retry-count reads) is deleted, so that another standby may register, and this
     * is said in the log and the activity log.
     */
    private void watchStandby(Row r) {
        if (r.boot() == 0
                && r.lastcount() == 0
                && r.state() != FrameState.CLOSE
                && r.ageMillis() < STARTING_MILLIS) {
            // registered, its heartbeat not started yet: a standby still starting is not stopped
            return;
        }
        String k = r.host() + '/' + r.config();
        long[] before = standbys.get(k);
        long still;
        if (before != null && before[0] == r.boot() && before[1] == r.lastcount()) {
            still = before[2] + 1;
        } else {
            still = 0;
        }
        standbys.put(k, new long[] {r.boot(), r.lastcount(), still});
        if (r.state() != FrameState.CLOSE && still < retryCount) {
            return;
        }
        String why =
                r.state() == FrameState.CLOSE
                        ? "it stopped (CLOSE)"
                        : "its counter stood at " + r.lastcount() + " for " + still + " reads";
        int deleted;
        try {
            deleted =
                    call(
                            conn -> {
                                try (PreparedStatement del =
                                        db.prepare(
                                                conn,
                                                "DELETE FROM "
                                                        + table
                                                        + " WHERE host = ? AND config = ? AND boot"
                                                        + " = ? AND lastcount = ? AND role = ?")) {
                                    del.setString(1, r.host());
                                    del.setString(2, r.config());
                                    del.setLong(3, r.boot());
                                    del.setLong(4, r.lastcount());
                                    del.setString(5, PairRole.Role.STANDBY.name());
                                    return del.executeUpdate();
                                }
                            });
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Cannot deregister standby {}: {}", r.host(), Database.rootMessage(e));
            return;
        }
        standbys.remove(k);
        if (deleted == 1) {
            String detail =
                    "standby "
                            + r.host()
                            + " deregistered: "
                            + why
                            + "; another standby may register";
            LOG.warn("Pair {}: {}", r.config(), detail);
            events.accept("DEREGISTERED", detail);
        }
    }

    private List<Row> read(Connection conn) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps =
                        db.prepare(
                                conn,
                                "SELECT host, config, boot, lastcount, state, role, "
                                        + Database.NOW_MILLIS
                                        + " - updated_ms FROM "
                                        + table
                                        + " WHERE host <> '"
                                        + ANCHOR
                                        + "' ORDER BY host, config");
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
                                rs.getString(6),
                                Math.max(0, rs.getLong(7))));
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
        PairRole p = pair;
        if (p != null) {
            v.put("role", p.current().name());
            v.put("registeredAs", p.registeredAs().name());
            v.put("lease", p.leaseKey());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Row r : lastRows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", r.host());
            m.put("config", r.config());
            m.put("boot", r.boot());
            m.put("lastcount", r.lastcount());
            m.put("state", r.state().name());
            m.put("role", r.role());
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

    /** The table's name. */
    public String tableName() {
        return table;
    }

    String ownHost() {
        return ownHost;
    }

    String ownConfig() {
        return ownConfig;
    }

    /** This run of this instance, as its row names it. */
    String instance() {
        return instance;
    }

    long thresholdMillis() {
        return thresholdMillis;
    }

    /** The database, for the configuration backup that shares it (after {@link #open}). */
    Database db() {
        return db;
    }

    /** Creates the configuration backup's table too when it opens ({@code hotbackup.role=auto}). */
    public HeartbeatTable withConfigTable() {
        this.configTable = true;
        return this;
    }

    /** One transaction on the table's database. */
    <T> T call(Database.Work<T> work) throws SQLException {
        return started().call(work);
    }

    private Database started() throws SQLException {
        Database d = db;
        if (d == null) {
            throw new SQLException("not started", "08003");
        }
        return d;
    }

    /**
     * Opens the pool and creates the table. A database that cannot be reached now is not an error
     * (the link says so and keeps trying); one that refuses for good is, naming why.
     *
     * @throws IllegalStateException with one line when no retry will help
     */
    public void open() {
        try {
            List<String> create = new ArrayList<>();
            create.add(
                    "CREATE TABLE IF NOT EXISTS "
                            + table
                            + " (host VARCHAR(255) NOT NULL, config VARCHAR(255) NOT NULL,"
                            + " instance VARCHAR(64) NOT NULL, boot BIGINT NOT NULL,"
                            + " lastcount BIGINT NOT NULL, state VARCHAR(8) NOT NULL,"
                            + " role VARCHAR(8) NOT NULL, updated_ms BIGINT NOT NULL,"
                            + " PRIMARY KEY (host, config))");
            if (configTable) {
                create.add(ConfigBackup.ddl(table));
            }
            db =
                    new Database(
                            "hotbackup-link",
                            url,
                            username,
                            password,
                            timeoutMillis,
                            table,
                            create.toArray(String[]::new));
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
