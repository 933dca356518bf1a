package dev.hotbackup.monitor;

import dev.hotbackup.link.Names;

/**
 * Identifies one monitored (host, config). {@link #id()} is the correlation key of the threshold
 * aggregator; it uses the percent-encoded names so that no two pairs share an id.
 */
public record MonitorKey(String host, String config) {

    public String id() {
        return Names.encode(host) + '/' + Names.encode(config);
    }

    /** The pair as people read it, for logs: {@code host/config}. */
    @Override
    public String toString() {
        return host + '/' + config;
    }
}
