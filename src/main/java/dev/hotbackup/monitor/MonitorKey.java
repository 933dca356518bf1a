package dev.hotbackup.monitor;

import dev.hotbackup.link.Names;

/**
 * Identifies one monitored host: the (host, config) it announces. {@link #id()} is the key the
 * listener's routes pass around (header {@code HotBackupKey}); it uses the percent-encoded names so
 * that no two monitored hosts share an id.
 */
public record MonitorKey(String host, String config) {

    public String id() {
        return Names.encode(host) + '/' + Names.encode(config);
    }

    /** As people read it, for logs: {@code host/config}. */
    @Override
    public String toString() {
        return host + '/' + config;
    }
}
