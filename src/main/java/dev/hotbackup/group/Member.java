package dev.hotbackup.group;

import dev.hotbackup.config.HostPort;

/**
 * One member of a group: the {@code hotbackup.host} it runs as and the address of its Backup
 * listener, which the other members send their heartbeats to.
 */
public record Member(String host, HostPort address) {

    /**
     * Reads {@code host@address:port}.
     *
     * @throws IllegalArgumentException naming the value
     */
    public static Member parse(String value) {
        int at = value.indexOf('@');
        if (at <= 0 || at == value.length() - 1) {
            throw new IllegalArgumentException(
                    "'"
                            + value
                            + "' is not host@address:port (the member's hotbackup.host, then where"
                            + " its listener is reached, for example hostA@10.0.0.1:7001)");
        }
        return new Member(value.substring(0, at).trim(), HostPort.parse(value.substring(at + 1)));
    }

    @Override
    public String toString() {
        return host + "@" + address;
    }
}
