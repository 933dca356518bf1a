package dev.hotbackup.arbiter.jdbc;

import dev.hotbackup.arbiter.Arbiter;
import dev.hotbackup.arbiter.ArbiterSetupException;
import dev.hotbackup.arbiter.Attempt;
import dev.hotbackup.arbiter.Holder;
import dev.hotbackup.arbiter.LeaseRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Leases as rows of a table in a shared database (PostgreSQL in production, H2 for one machine),
 * BOX's arbitration table in spirit: one row per lease ({@code lease_key}, holder, instance, epoch,
 * {@code expires_ms}). Acquire, renew and release are conditional updates, each statement committed
 * on its own so that a holder that hangs mid-call holds no lock anyone waits for; expiry is read
 * from the database's own clock ({@code CURRENT_TIMESTAMP} of the statement), never from a host's.
 * Rows are never deleted: the epoch of the next grant is always one more than the last.
 */
public final class JdbcArbiter implements Arbiter {

    /** The keys this backend reads, named in its errors. */
    public static final String URL_KEY = "hotbackup.arbiter.jdbc.url";

    public static final String USER_KEY = "hotbackup.arbiter.jdbc.username";
    public static final String PASSWORD_KEY = "hotbackup.arbiter.jdbc.password";
    public static final String TABLE_KEY = "hotbackup.arbiter.jdbc.table";

    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final String url;
    private final String username;
    private final String password;
    private final String table;
    private final long timeoutMillis;
    private volatile Database db;

    /**
     * @param timeoutMillis how long one call may wait for a connection or an answer
     */
    public JdbcArbiter(
            String url, String username, String password, String table, long timeoutMillis) {
        this.url = url;
        this.username = username;
        this.password = password;
        this.table = table;
        this.timeoutMillis = Math.max(250, timeoutMillis);
    }

    /** What is wrong with a URL before any connection is tried, or {@code null}. */
    public static String urlProblem(String url) {
        if (url.isEmpty()) {
            return "is required with hotbackup.arbiter=jdbc: the one database every instance"
                    + " shares, for example jdbc:postgresql://db:5432/hotbackup, or on one machine"
                    + " jdbc:h2:/srv/hotbackup/arbiter;AUTO_SERVER=TRUE";
        }
        if (!url.startsWith("jdbc:")) {
            return "'" + url + "' is not a JDBC URL (jdbc:postgresql://host:5432/db)";
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:h2:mem:")) {
            return "'"
                    + url
                    + "' is a private in-memory database: no other instance can see its leases;"
                    + " use jdbc:h2:tcp://host/path or a file with ;AUTO_SERVER=TRUE";
        }
        if (lower.startsWith("jdbc:h2:")
                && !lower.startsWith("jdbc:h2:tcp:")
                && !lower.startsWith("jdbc:h2:ssl:")
                && !lower.contains(";auto_server=true")) {
            return "'"
                    + url
                    + "' opens the H2 file for this process alone: add ;AUTO_SERVER=TRUE so the"
                    + " other instances on this machine share it, or use an H2 server"
                    + " (jdbc:h2:tcp://host/path)";
        }
        return null;
    }

    /** What is wrong with a table name, or {@code null}. */
    public static String tableProblem(String table) {
        return TABLE.matcher(table).matches()
                ? null
                : "'" + table + "' is not a plain SQL table name (letters, digits, _)";
    }

    @Override
    public String describe() {
        return "jdbc " + url.replaceAll("password=[^;&]*", "password=***") + ", table " + table;
    }

    @Override
    public String start() throws ArbiterSetupException {
        try {
            db =
                    new Database(
                            "hotbackup-arbiter",
                            url,
                            username,
                            password,
                            timeoutMillis,
                            table,
                            "CREATE TABLE IF NOT EXISTS "
                                    + table
                                    + " (lease_key VARCHAR(512) NOT NULL PRIMARY KEY,"
                                    + " holder VARCHAR(255) NOT NULL,"
                                    + " instance VARCHAR(64) NOT NULL,"
                                    + " epoch BIGINT NOT NULL,"
                                    + " expires_ms BIGINT NOT NULL)",
                            "CREATE TABLE IF NOT EXISTS "
                                    + table
                                    + "_note (name VARCHAR(512) NOT NULL PRIMARY KEY,"
                                    + " note VARCHAR(2000) NOT NULL)");
        } catch (IllegalArgumentException e) {
            throw new ArbiterSetupException(URL_KEY, "'" + url + "': " + e.getMessage());
        }
        try {
            return db.prepare();
        } catch (Database.Refused e) {
            db = null;
            throw new ArbiterSetupException(e.credentials() ? USER_KEY : URL_KEY, e.getMessage());
        }
    }

    @Override
    public Attempt acquire(String key, Holder me, long leaseMillis) {
        for (int round = 0; round < 2; round++) {
            try {
                return db().callEachStatement(conn -> acquire(conn, key, me, leaseMillis));
            } catch (SQLException e) {
                String state = e.getSQLState();
                if (round == 0 && ("23505".equals(state) || CHANGED.equals(state))) {
                    continue; // another instance wrote the row between our read and write: read it
                }
                return new Attempt.Unreachable(Database.rootMessage(e));
            }
        }
        return new Attempt.Unreachable("the lease row changed twice while asked for");
    }

    /** SQLSTATE of a conditional update that found the row changed since it was read. */
    private static final String CHANGED = "40001";

    private Database db() throws SQLException {
        Database d = db;
        if (d == null) {
            throw new SQLException("not started", "08003");
        }
        return d;
    }

    /** One transaction on the lease table (created by the first call that reaches it). */
    private <T> T call(Database.Work<T> work) throws SQLException {
        return db().call(work);
    }

    /**
     * Read, decide, then a write that succeeds only if the row is still as read (compare and set),
     * each statement committed on its own: no lock is held between them, so a holder that hangs
     * here holds up no one, and its lease lapses as if it had hung anywhere else.
     */
    private Attempt acquire(Connection conn, String key, Holder me, long leaseMillis)
            throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT holder, instance, epoch, expires_ms, "
                                + Database.NOW_MILLIS
                                + " FROM "
                                + table
                                + " WHERE lease_key = ?")) {
            ps.setQueryTimeout(queryTimeoutSeconds());
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    try (PreparedStatement ins =
                            conn.prepareStatement(
                                    "INSERT INTO "
                                            + table
                                            + " (lease_key, holder, instance, epoch, expires_ms)"
                                            + " VALUES (?, ?, ?, 1, "
                                            + Database.NOW_MILLIS
                                            + " + ?)")) {
                        ins.setQueryTimeout(queryTimeoutSeconds());
                        ins.setString(1, key);
                        ins.setString(2, me.host());
                        ins.setString(3, me.instance());
                        ins.setLong(4, leaseMillis);
                        ins.executeUpdate();
                    }
                    return new Attempt.Granted(1);
                }
                Holder holder = new Holder(rs.getString(1), rs.getString(2));
                long epoch = rs.getLong(3);
                long expires = rs.getLong(4);
                long now = rs.getLong(5);
                boolean mine = holder.equals(me);
                if (expires > now && !mine) {
                    return new Attempt.Held(new LeaseRecord(key, holder, epoch, expires - now));
                }
                long next = mine && expires > now ? epoch : epoch + 1;
                try (PreparedStatement up =
                        conn.prepareStatement(
                                "UPDATE "
                                        + table
                                        + " SET holder = ?, instance = ?, epoch = ?, expires_ms = "
                                        + Database.NOW_MILLIS
                                        + " + ? WHERE lease_key = ? AND holder = ?"
                                        + " AND instance = ? AND epoch = ? AND expires_ms = ?")) {
                    up.setQueryTimeout(queryTimeoutSeconds());
                    up.setString(1, me.host());
                    up.setString(2, me.instance());
                    up.setLong(3, next);
                    up.setLong(4, leaseMillis);
                    up.setString(5, key);
                    up.setString(6, holder.host());
                    up.setString(7, holder.instance());
                    up.setLong(8, epoch);
                    up.setLong(9, expires);
                    if (up.executeUpdate() != 1) {
                        throw new SQLException("the lease row changed while asked for", CHANGED);
                    }
                }
                return new Attempt.Granted(next);
            }
        }
    }

    @Override
    public Map<String, Attempt> renew(Map<String, Long> held, Holder me, long leaseMillis) {
        Map<String, Attempt> out = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(held.keySet());
        try {
            out.putAll(db().callEachStatement(conn -> renew(conn, keys, held, me, leaseMillis)));
        } catch (SQLException e) {
            Attempt u = new Attempt.Unreachable(Database.rootMessage(e));
            keys.forEach(k -> out.put(k, u));
        }
        return out;
    }

    /**
     * Extends the leases still ours and unexpired by the database's clock, then reads which are
     * ours and unexpired now: each statement committed on its own (see {@link #acquire}). A lease
     * the update found expired stays expired, so the read finds exactly the renewed ones.
     */
    private Map<String, Attempt> renew(
            Connection conn, List<String> keys, Map<String, Long> held, Holder me, long leaseMillis)
            throws SQLException {
        Map<String, Attempt> out = new LinkedHashMap<>();
        Map<String, Long> ours = new HashMap<>();
        for (int from = 0; from < keys.size(); from += 500) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + 500));
            String in = String.join(",", chunk.stream().map(k -> "?").toList());
            try (PreparedStatement up =
                    conn.prepareStatement(
                            "UPDATE "
                                    + table
                                    + " SET expires_ms = "
                                    + Database.NOW_MILLIS
                                    + " + ? WHERE holder = ? AND instance = ?"
                                    + " AND expires_ms > "
                                    + Database.NOW_MILLIS
                                    + " AND lease_key IN ("
                                    + in
                                    + ")")) {
                up.setQueryTimeout(queryTimeoutSeconds());
                up.setLong(1, leaseMillis);
                up.setString(2, me.host());
                up.setString(3, me.instance());
                for (int i = 0; i < chunk.size(); i++) {
                    up.setString(4 + i, chunk.get(i));
                }
                up.executeUpdate();
            }
            try (PreparedStatement sel =
                    conn.prepareStatement(
                            "SELECT lease_key, epoch FROM "
                                    + table
                                    + " WHERE holder = ? AND instance = ? AND expires_ms > "
                                    + Database.NOW_MILLIS
                                    + " AND lease_key IN ("
                                    + in
                                    + ")")) {
                sel.setQueryTimeout(queryTimeoutSeconds());
                sel.setString(1, me.host());
                sel.setString(2, me.instance());
                for (int i = 0; i < chunk.size(); i++) {
                    sel.setString(3 + i, chunk.get(i));
                }
                try (ResultSet rs = sel.executeQuery()) {
                    while (rs.next()) {
                        ours.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
        }
        long now = -1;
        for (String k : keys) {
            Long epoch = ours.get(k);
            if (epoch != null && epoch.equals(held.get(k))) {
                out.put(k, new Attempt.Granted(epoch));
            } else {
                now = now < 0 ? now(conn) : now;
                out.put(k, new Attempt.Held(read(conn, k, now)));
            }
        }
        return out;
    }

    private LeaseRecord read(Connection conn, String key, long now) throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT holder, instance, epoch, expires_ms FROM "
                                + table
                                + " WHERE lease_key = ?")) {
            ps.setQueryTimeout(queryTimeoutSeconds());
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new LeaseRecord(key, new Holder("nobody", "-"), 0, 0);
                }
                return new LeaseRecord(
                        key,
                        new Holder(rs.getString(1), rs.getString(2)),
                        rs.getLong(3),
                        Math.max(0, rs.getLong(4) - now));
            }
        }
    }

    @Override
    public void release(String key, Holder me, long epoch) throws SQLException {
        db().callEachStatement(
                        conn -> {
                            try (PreparedStatement ps =
                                    conn.prepareStatement(
                                            "UPDATE "
                                                    + table
                                                    + " SET expires_ms = 0 WHERE lease_key = ? AND holder ="
                                                    + " ? AND instance = ? AND epoch = ?")) {
                                ps.setQueryTimeout(queryTimeoutSeconds());
                                ps.setString(1, key);
                                ps.setString(2, me.host());
                                ps.setString(3, me.instance());
                                ps.setLong(4, epoch);
                                return ps.executeUpdate();
                            }
                        });
    }

    @Override
    public List<LeaseRecord> table() throws SQLException {
        return call(
                conn -> {
                    List<LeaseRecord> out = new ArrayList<>();
                    long now = now(conn);
                    try (PreparedStatement ps =
                            conn.prepareStatement(
                                    "SELECT lease_key, holder, instance, epoch, expires_ms FROM "
                                            + table
                                            + " ORDER BY lease_key")) {
                        ps.setQueryTimeout(queryTimeoutSeconds());
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(
                                        new LeaseRecord(
                                                rs.getString(1),
                                                new Holder(rs.getString(2), rs.getString(3)),
                                                rs.getLong(4),
                                                Math.max(0, rs.getLong(5) - now)));
                            }
                        }
                    }
                    return out;
                });
    }

    /** Notes live in {@code <table>_note}, created with the lease table. */
    @Override
    public Map<String, String> notes(String prefix) throws SQLException {
        return call(
                conn -> {
                    Map<String, String> out = new LinkedHashMap<>();
                    try (PreparedStatement ps =
                            conn.prepareStatement(
                                    "SELECT name, note FROM "
                                            + table
                                            + "_note WHERE name LIKE ? ESCAPE '!' ORDER BY name")) {
                        ps.setQueryTimeout(queryTimeoutSeconds());
                        ps.setString(
                                1,
                                prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_")
                                        + "%");
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.put(rs.getString(1), rs.getString(2));
                            }
                        }
                    }
                    return out;
                });
    }

    @Override
    public void note(String name, String value) throws SQLException {
        call(
                conn -> {
                    try (PreparedStatement del =
                            conn.prepareStatement(
                                    "DELETE FROM " + table + "_note WHERE name = ?")) {
                        del.setQueryTimeout(queryTimeoutSeconds());
                        del.setString(1, name);
                        del.executeUpdate();
                    }
                    if (value != null) {
                        try (PreparedStatement ins =
                                conn.prepareStatement(
                                        "INSERT INTO "
                                                + table
                                                + "_note (name, note) VALUES (?, ?)")) {
                            ins.setQueryTimeout(queryTimeoutSeconds());
                            ins.setString(1, name);
                            ins.setString(2, value);
                            ins.executeUpdate();
                        }
                    }
                    return null;
                });
    }

    private long now(Connection conn) throws SQLException {
        return db.now(conn);
    }

    private int queryTimeoutSeconds() {
        return db.queryTimeoutSeconds();
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
            db = null;
        }
    }
}
