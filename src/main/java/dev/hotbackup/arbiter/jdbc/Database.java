package dev.hotbackup.arbiter.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The shared database as the arbiter's lease table and the heartbeat table use it: a small pool
 * whose every call is one transaction with a bounded wait, the caller's tables created by the first
 * call that reaches the database, time read from the database's own clock, and failures told apart
 * into "no retry will cure this" (wrong credentials, no such database, no driver, not allowed) and
 * "cannot reach it now".
 *
 * <p>An instance that hangs in the middle of a transaction (a long pause, SIGSTOP, a frozen VM)
 * keeps its locks for as long as its connection stays open, and a hung process's connection does
 * stay open. So work that others must never wait for (the leases) runs {@link #callEachStatement
 * statement by statement}, each committed on its own, and PostgreSQL ends any of these sessions
 * that sits in an open transaction for longer than one call may take ({@code
 * idle_in_transaction_session_timeout}), releasing its locks. H2 has no such setting.
 */
public final class Database implements AutoCloseable {

    /** One transaction's work on a connection. */
    public interface Work<T> {
        T run(Connection conn) throws SQLException;
    }

    /** Milliseconds since 1970 by the database's clock, at the start of the transaction. */
    public static final String NOW_MILLIS =
            "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";

    /** No retry will cure it: the credentials, the database, the driver or a right is wrong. */
    public static final class Refused extends Exception {
        private final boolean credentials;

        Refused(String message, boolean credentials, SQLException cause) {
            super(message, cause);
            this.credentials = credentials;
        }

        /** Whether the user name or password was refused. */
        public boolean credentials() {
            return credentials;
        }
    }

    private final long timeoutMillis;
    private final Executor direct = Runnable::run;
    private final HikariDataSource pool;
    private final String table;
    private final List<String> create;
    private volatile boolean tablesReady;

    /**
     * Opens the pool without connecting: an unreachable database at start is a state, not an error.
     *
     * @param timeoutMillis how long one call may wait for a connection or an answer
     * @param table the caller's main table: when creating it fails, another instance may have
     *     created it at the same moment, which is fine if it is there now
     * @param create the statements that create the caller's tables when missing ({@code CREATE
     *     TABLE IF NOT EXISTS ...})
     * @throws IllegalArgumentException when the pool cannot even be set up (a bad URL)
     */
    public Database(
            String poolName,
            String url,
            String username,
            String password,
            long timeoutMillis,
            String table,
            String... create) {
        this.table = table;
        this.create = List.of(create);
        this.timeoutMillis = Math.max(250, timeoutMillis);
        HikariConfig c = new HikariConfig();
        c.setPoolName(poolName);
        c.setJdbcUrl(url);
        if (!username.isEmpty()) {
            c.setUsername(username);
        }
        if (!password.isEmpty()) {
            c.setPassword(password);
        }
        c.setMaximumPoolSize(2);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(this.timeoutMillis);
        c.setValidationTimeout(Math.max(250, Math.min(this.timeoutMillis - 1, 1000)));
        c.setInitializationFailTimeout(-1);
        c.setAutoCommit(false);
        c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        if (url.startsWith("jdbc:postgresql:")) {
            int seconds = queryTimeoutSeconds();
            if (!url.contains("socketTimeout")) {
                c.addDataSourceProperty("socketTimeout", seconds);
            }
            if (!url.contains("connectTimeout")) {
                c.addDataSourceProperty("connectTimeout", seconds);
            }
            if (!url.contains("loginTimeout")) {
                c.addDataSourceProperty("loginTimeout", seconds);
            }
            c.addDataSourceProperty("ApplicationName", "camel-hot-backup");
            if (!url.contains("options=")) {
                // a session idle inside a transaction longer than a call may take belongs to a
                // hung instance: the server ends it and its locks go with it
                c.addDataSourceProperty(
                        "options", "-c idle_in_transaction_session_timeout=" + this.timeoutMillis);
            }
        }
        try {
            pool = new HikariDataSource(c);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(rootMessage(e), e);
        }
    }

    /**
     * Runs {@code work} in one transaction. When a call fails, no connection the pool holds is
     * reused: after a database restart each would fail a call of its own (H2: "Connection is
     * broken"), and the pool only checks connections idle for more than half a second, so the first
     * call after the restart could be handed the other, stale one.
     */
    public <T> T call(Work<T> work) throws SQLException {
        return run(work, false);
    }

    /**
     * Runs {@code work} with every statement committed on its own: no lock outlives the statement
     * that took it, so an instance that hangs between two statements holds nothing another instance
     * waits for. For work that is correct statement by statement (conditional updates).
     */
    public <T> T callEachStatement(Work<T> work) throws SQLException {
        return run(work, true);
    }

    private <T> T run(Work<T> work, boolean eachStatement) throws SQLException {
        if (pool.isClosed()) {
            throw new SQLException("closed", "08003");
        }
        Connection conn = pool.getConnection();
        try {
            try {
                conn.setNetworkTimeout(direct, (int) timeoutMillis);
            } catch (SQLFeatureNotSupportedException | AbstractMethodError e) {
                // H2 has no socket timeout; callers' deadlines still hold on time
            }
            if (!tablesReady) {
                createTables(conn);
            }
            if (eachStatement) {
                conn.setAutoCommit(true);
            }
            Consumer<String> hook = afterStatement;
            T result = work.run(hook == null ? conn : StatementHook.wrap(conn, hook));
            if (eachStatement) {
                conn.setAutoCommit(false);
            } else {
                conn.commit();
            }
            conn.close();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                if (!conn.getAutoCommit()) {
                    conn.rollback();
                }
            } catch (SQLException ignored) {
                // evicted below
            }
            pool.evictConnection(conn);
            // those idle now are closed at once, one in use when it is handed back
            pool.getHikariPoolMXBean().softEvictConnections();
            throw e;
        }
    }

    /**
     * For tests: runs after each statement of a call has executed, on the calling thread, with the
     * statement's SQL; a hook that blocks is an instance hung at that point.
     */
    static volatile Consumer<String> afterStatement;

    /**
     * Creates the tables now if the database answers.
     *
     * @return {@code null} when done, or why the database cannot be reached now (the next call
     *     tries again)
     * @throws Refused when no retry will help; the pool is closed then
     */
    public String prepare() throws Refused {
        try {
            call(conn -> null);
            return null;
        } catch (SQLException e) {
            String refused = refusal(e);
            if (refused != null) {
                close();
                throw new Refused(refused, credentialsRefused(e), e);
            }
            return rootMessage(e);
        }
    }

    private void createTables(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.setQueryTimeout(queryTimeoutSeconds());
            for (String sql : create) {
                st.execute(sql);
            }
            conn.commit();
        } catch (SQLException e) {
            conn.rollback();
            // two instances creating it at once: the other one won
            try (Statement st = conn.createStatement()) {
                st.executeQuery("SELECT COUNT(*) FROM " + table).close();
                conn.commit();
            } catch (SQLException notThere) {
                throw e;
            }
        }
        tablesReady = true;
    }

    /** The statement timeout of every call, in whole seconds (at least one). */
    public int queryTimeoutSeconds() {
        return (int) Math.max(1, TimeUnit.MILLISECONDS.toSeconds(timeoutMillis + 999));
    }

    /** A statement with the call's timeout. */
    public PreparedStatement prepare(Connection conn, String sql) throws SQLException {
        PreparedStatement ps = conn.prepareStatement(sql);
        ps.setQueryTimeout(queryTimeoutSeconds());
        return ps;
    }

    /** Now by the database's clock, in milliseconds since 1970. */
    public long now(Connection conn) throws SQLException {
        try (PreparedStatement ps = prepare(conn, "SELECT " + NOW_MILLIS);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /** A failure that no retry will cure, as one line; {@code null} for "cannot reach it now". */
    private static String refusal(SQLException e) {
        SQLException s = innermost(e);
        String state = s.getSQLState() == null ? "" : s.getSQLState();
        String msg = rootMessage(e);
        if (state.startsWith("28")) {
            return "the database refused the credentials: " + msg;
        }
        if (state.equals("3D000") || state.equals("90146")) {
            return "no such database: " + msg;
        }
        if (msg.contains("No suitable driver") || state.equals("90046")) {
            return "no JDBC driver understands this URL (the jar has PostgreSQL and H2): " + msg;
        }
        if (state.equals("42501")) {
            return "not allowed to create or use the table: " + msg;
        }
        return null;
    }

    /** Whether the refusal is about the user name or password. */
    private static boolean credentialsRefused(SQLException e) {
        String state = innermost(e).getSQLState();
        return state != null && state.startsWith("28");
    }

    private static SQLException innermost(SQLException e) {
        SQLException s = e;
        Throwable t = e;
        while (t != null) {
            if (t instanceof SQLException q && q.getSQLState() != null) {
                s = q;
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return s;
    }

    /** The innermost message, first line only. */
    public static String rootMessage(Throwable t) {
        String msg = null;
        while (t != null) {
            if (t.getMessage() != null) {
                msg = t.getMessage();
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return msg == null ? "failed" : msg.lines().findFirst().orElse(msg);
    }
}
