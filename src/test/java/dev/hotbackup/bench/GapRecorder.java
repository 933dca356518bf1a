package dev.hotbackup.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A stand-in backup that notes when each heartbeat line arrives (monotonic). */
final class GapRecorder implements AutoCloseable {

    private final ServerSocket server;
    private final List<Long> arrivals = new ArrayList<>();
    private final Thread thread;

    GapRecorder() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "gap-recorder");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept();
                    BufferedReader in =
                            new BufferedReader(
                                    new InputStreamReader(
                                            s.getInputStream(), StandardCharsets.US_ASCII))) {
                while (in.readLine() != null) {
                    synchronized (arrivals) {
                        arrivals.add(System.nanoTime());
                    }
                }
            } catch (IOException e) {
                // next connection
            }
        }
    }

    /** Forgets what arrived so far: measure from now. */
    void reset() {
        synchronized (arrivals) {
            arrivals.clear();
        }
    }

    /** Gaps between consecutive arrivals, in milliseconds. */
    List<Long> gapsMillis() {
        List<Long> gaps = new ArrayList<>();
        synchronized (arrivals) {
            for (int i = 1; i < arrivals.size(); i++) {
                gaps.add((arrivals.get(i) - arrivals.get(i - 1)) / 1_000_000);
            }
        }
        return gaps;
    }

    int count() {
        synchronized (arrivals) {
            return arrivals.size();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
