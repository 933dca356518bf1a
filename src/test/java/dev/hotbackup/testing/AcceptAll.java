package dev.hotbackup.testing;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A gateway for the partition tests: accepts every TCP connection on the port given and closes it.
 * Run in its own JVM inside a test host's network namespace.
 */
public final class AcceptAll {

    private AcceptAll() {}

    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(Integer.parseInt(args[0])), 100);
            System.out.println("accepting on " + server.getLocalSocketAddress());
            while (true) {
                try (Socket s = server.accept()) {
                    // connected is all a gateway check asks
                }
            }
        }
    }
}
