package dev.hotbackup.link.jdbc;

import dev.hotbackup.arbiter.jdbc.Database;
import dev.hotbackup.link.FrameState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Roles from the heartbeat table ({@code hotbackup.role=auto}): an instance registers as the
 * primary or the standby of its pair (the rows of one config), or is refused when both are live.
 * Registrations of one config are ordered by the lock on its anchor row (host {@code ''}).
 */
final class PairRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(PairRegistry.class);

    private final HeartbeatTable t;

    PairRegistry(HeartbeatTable table) {
        this.t = table;
    }

    /** What the table says this instance may be: a role, or why there is no room. */
    record Decision(PairRole.Role role, String refusal, boolean sameHost) {}

    /**
     * Registers this instance in the pair of {@code config}, under the lock of the config's anchor
     * row so that two instances starting at once are ordered: the first is the primary, the next
     * the standby, and an instance that finds a live primary and a live standby (rows updated
     * within the threshold by the database's clock) is refused, naming them. {@code standbyOnly}
     * ({@code -b}) never makes a primary. A live row of this very host written by another instance
     * is waited out for one threshold (a crashed run of this host), then refused (two instances
     * with the same {@code hotbackup.host}).
     *
     * @throws HeartbeatTable.NoRoom with one line naming the registered instances
     */
    PairRole register(boolean standbyOnly, long checkMillis) throws HeartbeatTable.NoRoom {
        long deadline = System.nanoTime() + (t.thresholdMillis() + checkMillis) * 1_000_000L;
        String unreachable = null;
        while (true) {
            Decision d;
            try {
                d =
                        t.call(
                                conn -> {
                                    Decision dec =
                                            decide(conn, t.ownHost(), t.ownConfig(), standbyOnly);
                                    if (dec.role() != null) {
                                        t.insertOrUpdate(
                                                conn,
                                                t.ownHost(),
                                                t.ownConfig(),
                                                dec.role().name(),
                                                0,
                                                0,
                                                FrameState.LIVE);
                                    }
                                    return dec;
                                });
            } catch (SQLException | RuntimeException e) {
                // an anchor row inserted by another instance at the same moment, a lock wait
                // that timed out, or the database away: the role cannot be known without it
                String why = Database.rootMessage(e);
                if (unreachable == null) {
                    LOG.warn(
                            "Cannot register in the heartbeat {} yet ({}): trying again",
                            t.tableName(),
                            why);
                }
                unreachable = why;
                pause(checkMillis);
                continue;
            }
            if (d.role() != null) {
                PairRole pair = new PairRole(t.ownConfig(), d.role());
                LOG.info(
                        "Registered in the heartbeat {} as the {} of pair {}",
                        t.tableName(),
                        d.role().name().toLowerCase(),
                        t.ownConfig());
                return pair;
            }
            if (d.sameHost() && System.nanoTime() < deadline) {
                pause(checkMillis);
                continue;
            }
            throw new HeartbeatTable.NoRoom(d.refusal());
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(Math.max(50, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering", e);
        }
    }

    Decision decide(Connection conn, String host, String config, boolean standbyOnly)
            throws SQLException {
        lockAnchor(conn, config);
        List<String> primaries = new ArrayList<>();
        List<String> standbyRows = new ArrayList<>();
        String sameHost = null;
        try (PreparedStatement ps =
                t.db().prepare(
                                conn,
                                "SELECT host, instance, role, state, "
                                        + Database.NOW_MILLIS
                                        + " - updated_ms FROM "
                                        + t.tableName()
                                        + " WHERE config = ? AND host <> ?")) {
            ps.setString(1, config);
            ps.setString(2, HeartbeatTable.ANCHOR);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean live =
                            "LIVE".equals(rs.getString(4)) && rs.getLong(5) <= t.thresholdMillis();
                    if (!live) {
                        continue;
                    }
                    String h = rs.getString(1);
                    // PostgreSQL stamps a transaction at its start: a row written by a later
                    // one that committed first looks a few milliseconds younger than now
                    String who = h + " (updated " + Math.max(0, rs.getLong(5)) + " ms ago)";
                    if (h.equals(host)) {
                        if (!t.instance().equals(rs.getString(2))) {
                            sameHost = who;
                        }
                    } else if (PairRole.Role.PRIMARY.name().equals(rs.getString(3))) {
                        primaries.add(who);
                    } else if (PairRole.Role.STANDBY.name().equals(rs.getString(3))) {
                        standbyRows.add(who);
                    }
                }
            }
        }
        if (sameHost != null) {
            return new Decision(
                    null,
                    "hotbackup.host: another running instance is registered as "
                            + sameHost
                            + " in the heartbeat "
                            + t.tableName()
                            + " for config "
                            + config
                            + ": give each host its own hotbackup.host (the default is the"
                            + " machine's name)",
                    true);
        }
        if (primaries.size() + standbyRows.size() >= 2) {
            return new Decision(
                    null,
                    "hotbackup.role: the pair of config "
                            + config
                            + " is complete in the heartbeat "
                            + t.tableName()
                            + ": primary "
                            + (primaries.isEmpty() ? "none" : String.join(", ", primaries))
                            + ", standby "
                            + (standbyRows.isEmpty() ? "none" : String.join(", ", standbyRows))
                            + "; a third instance is refused (stop one of them, or give this one"
                            + " another hotbackup.config)",
                    false);
        }
        boolean standby = standbyOnly || !primaries.isEmpty() || !standbyRows.isEmpty();
        return new Decision(standby ? PairRole.Role.STANDBY : PairRole.Role.PRIMARY, null, false);
    }

    /** Locks the config's anchor row for this transaction, inserting it the first time. */
    private void lockAnchor(Connection conn, String config) throws SQLException {
        try (PreparedStatement ps =
                t.db().prepare(
                                conn,
                                "SELECT lastcount FROM "
                                        + t.tableName()
                                        + " WHERE host = ? AND config = ? FOR UPDATE")) {
            ps.setString(1, HeartbeatTable.ANCHOR);
            ps.setString(2, config);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        // the first registration of this config: a second one at the same moment fails on the
        // primary key, and its caller tries again, then finds the row and waits for its lock
        try (PreparedStatement ins =
                t.db().prepare(
                                conn,
                                "INSERT INTO "
                                        + t.tableName()
                                        + " (host, config, instance, boot, lastcount, state, role,"
                                        + " updated_ms) VALUES (?, ?, '', 0, 0, 'CLOSE', 'ANCHOR', "
                                        + Database.NOW_MILLIS
                                        + ")")) {
            ins.setString(1, HeartbeatTable.ANCHOR);
            ins.setString(2, config);
            ins.executeUpdate();
        }
    }
}
