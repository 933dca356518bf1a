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

    /** The key of {@code host/config} as {@link #toString()} writes it (the config has no /). */
    public static MonitorKey parse(String hostConfig) {
        int slash = hostConfig.lastIndexOf('/');
        return new MonitorKey(hostConfig.substring(0, slash), hostConfig.substring(slash + 1));
    }

    /** As people read it, for logs and as the name of its lease: {@code host/config}. */
    @Override
    public String toString() {
        return host + '/' + config;
    }
}
