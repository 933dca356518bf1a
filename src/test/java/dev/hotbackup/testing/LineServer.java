package dev.hotbackup.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A loopback TCP server that keeps every line it receives: stands in for a backup listener. */
public final class LineServer implements AutoCloseable {

    private final ServerSocket server;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    public LineServer() throws IOException {
        this(0);
    }

    /** On a given loopback port (0: any free one). */
    public LineServer(int port) throws IOException {
        server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    /** The same, for a test's static field: a port that cannot be bound fails the class. */
    public static LineServer open(int port) {
        try {
            return new LineServer(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Lines received so far, in arrival order. */
    public List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** Connections accepted so far. */
    public int connections() {
        return clients.size();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                clients.add(s);
                threads.submit(() -> read(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void read(Socket s) {
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // connection closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : clients) {
            s.close();
        }
        threads.shutdownNow();
    }
}
