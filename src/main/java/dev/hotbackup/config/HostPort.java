package dev.hotbackup.config;

/** One {@code host:port} of {@code hotbackup.backup-location}; IPv6 hosts in brackets. */
public record HostPort(String host, int port) {

    /** Parses {@code host:port} or {@code [v6]:port}; throws with a message naming the value. */
    public static HostPort parse(String value) {
        String v = value.trim();
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new IllegalArgumentException("'" + v + "' is not host:port");
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException(
                    "'" + v + "': write IPv6 addresses as [address]:port");
        }
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' has no port number after ':'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + v + "': port must be 1-65535");
        }
        return new HostPort(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ':' + port;
    }
}
