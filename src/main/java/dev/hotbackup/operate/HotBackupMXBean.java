package dev.hotbackup.operate;

/**
 * camel-hot-backup over JMX, registered as {@code dev.hotbackup:type=HotBackup}: the same state as
 * {@code GET /hotbackup/status}, and the operator's takeover and release of one host. Access is
 * controlled by the JVM's JMX settings ({@code com.sun.management.jmxremote.*}).
 */
public interface HotBackupMXBean {

    /** The name this instance announces. */
    String getHost();

    String getConfig();

    /**
     * {@code live}, {@code backup}, {@code standby}, {@code takeover}, joined by +; a member of a
     * group: {@code member}, with {@code master} and {@code takeover} (runs another member's work).
     */
    String getRole();

    /**
     * As far as leases go: {@code active}, {@code standby}, {@code waiting}, {@code isolated},
     * {@code fenced}; {@code none} without an arbiter or gateway.
     */
    String getArbiterRole();

    /** One line per lease wanted or held here: {@code host/config HELD epoch 7 (valid 5200 ms)}. */
    String[] getLeases();

    /** The arbiter's lease table: {@code host/config held by h (instance i), epoch 7, ...}. */
    String[] getLeaseTable();

    /** {@code auto} or {@code manual}. */
    String getTakeoverMode();

    /** One line per monitored host: {@code host/config STATE, heard N ms ago}. */
    String[] getMonitors();

    /** Hosts taken over here, as {@code host/config}. */
    String[] getTakenOver();

    long getFramesAccepted();

    long getFramesRejected();

    /** Everything, as the JSON of {@code GET /hotbackup/status}. */
    String getStatusJson();

    /**
     * Starts the host's takeover routes here now, in either takeover mode; returns outcomes.
     * Refused while the host is LIVE: its routes run there.
     */
    String[] takeover(String host, String config);

    /** The same, also while the host is LIVE (both then run its routes); recorded as forced. */
    String[] forceTakeover(String host, String config);

    /** Stops the host's takeover routes here now; returns outcomes. */
    String[] release(String host, String config);

    /**
     * In a group: moves {@code member}'s work to {@code to} (to {@code member} itself: back home).
     * Refused while {@code to} is not alive.
     */
    String moveWork(String member, String to);

    /** In a group: moves the master role to {@code to}. Refused while {@code to} is not alive. */
    String moveMaster(String to);

    /**
     * In a group: one line per unit of the processing map, {@code work/hostB on hostA (epoch 3)}.
     */
    String[] getProcessingMap();
}
