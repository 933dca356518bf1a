package dev.hotbackup;

import dev.hotbackup.config.HotBackupSettings;
import dev.hotbackup.config.InvalidConfigurationException;
import dev.hotbackup.config.Key;
import dev.hotbackup.config.Keys;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ports this instance listens on: checked free before anything starts, so that a port in use
 * stops the start with one line naming its key (instead of a listener that never binds, or a status
 * page that is silently missing), and listed once everything runs.
 */
final class Ports {

    private static final Logger LOG = LoggerFactory.getLogger(Ports.class);

    private Ports() {}

    /** One port this instance will bind, and the keys that choose it. */
    record Bound(Key<?> portKey, Key<?> addressKey, String address, int port) {}

    static List<Bound> bound(HotBackupSettings s) {
        List<Bound> out = new ArrayList<>();
        if (s.listenerEnabled()) {
            out.add(
                    new Bound(
                            Keys.LISTENER_PORT,
                            Keys.LISTENER_BIND_ADDRESS,
                            s.listenerBindAddress,
                            s.listenerPort));
        }
        if (s.emitterEnabled() && s.probePort != 0) {
            out.add(
                    new Bound(
                            Keys.PROBE_PORT,
                            Keys.PROBE_BIND_ADDRESS,
                            s.probeBindAddress.isEmpty() ? "0.0.0.0" : s.probeBindAddress,
                            s.probePort));
        }
        if (s.httpEnabled) {
            out.add(
                    new Bound(
                            Keys.HTTP_PORT, Keys.HTTP_BIND_ADDRESS, s.httpBindAddress, s.httpPort));
            out.add(
                    new Bound(
                            Keys.OBSERVE_PORT,
                            Keys.HTTP_BIND_ADDRESS,
                            s.httpBindAddress,
                            s.observePort));
        }
        return out;
    }

    /** Refuses the start when a port is taken or an address is not this host's. */
    static void checkFree(HotBackupSettings s) {
        List<String> problems = new ArrayList<>();
        for (Bound b : bound(s)) {
            String problem = problem(b.address(), b.port());
            if (problem != null) {
                problems.add(
                        (problem.startsWith("in use") ? b.portKey() : b.addressKey())
                                + ": cannot listen on "
                                + b.address()
                                + ":"
                                + b.port()
                                + ": "
                                + problem);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    /** Why nothing can listen on {@code address:port}, or {@code null} when it can. */
    static String problem(String address, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
            return null;
        } catch (BindException e) {
            String m = String.valueOf(e.getMessage());
            return m.contains("in use")
                    ? "in use by another process; stop it or choose another port"
                    : "not an address of this host (" + m + ")";
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return e.getMessage();
        }
    }

    /** The addresses to use, once everything runs (Camel's own summary says 0.0.0.0 always). */
    static void logEndpoints(HotBackupSettings s) {
        if (!s.httpEnabled) {
            return;
        }
        String http = url(s.httpBindAddress, s.httpPort);
        String observe = url(s.httpBindAddress, s.observePort);
        LOG.info(
                "Status page {}/hotbackup/ (JSON: {}/hotbackup/status); health {}/observe/health;"
                        + " metrics {}/observe/metrics{}",
                http,
                http,
                observe,
                observe,
                s.listenerEnabled()
                        ? "; operator actions "
                                + (s.httpToken.isEmpty()
                                        ? "off (no hotbackup.http.token)"
                                        : "POST "
                                                + http
                                                + "/hotbackup/monitors/{host}/{config}/...")
                        : "");
    }

    private static String url(String address, int port) {
        String host = address.equals("0.0.0.0") ? "<any address of this host>" : address;
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
