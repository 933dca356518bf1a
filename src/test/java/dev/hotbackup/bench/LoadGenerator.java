package dev.hotbackup.bench;

import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.HeartbeatFrame;
import dev.hotbackup.link.Signer;
import dev.hotbackup.probe.ProbeMessages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Many live hosts in one JVM: {@code hosts} monitored hosts heartbeating every 100 ms with the real
 * signed protocol, spread over a few connections (each 100 ms batch of a connection is one write),
 * and a probe responder answering for every host that is not silenced.
 */
final class LoadGenerator implements AutoCloseable {

    private final int hosts;
    private final long boot = System.currentTimeMillis();
    private final HeartbeatCodec codec;
    private final Signer signer;
    private final long[] seq;
    private final long[] lastSent;
    private final Set<Integer> silenced = ConcurrentHashMap.newKeySet();
    private final List<Socket> sockets = new ArrayList<>();
    private final ScheduledExecutorService senders;
    private final ServerSocket responder;
    private final ExecutorService answering = Executors.newFixedThreadPool(8);
    private final AtomicLong sent = new AtomicLong();

    private volatile long silenceWaitNanos;

    /** Batches written so far, per connection. */
    private final AtomicLongArray batches;

    LoadGenerator(int hosts, int connections, int listenerPort, String secret) throws IOException {
        this.hosts = hosts;
        this.signer = Signer.of(secret);
        this.codec = new HeartbeatCodec(signer);
        this.seq = new long[hosts];
        this.lastSent = new long[hosts];
        this.batches = new AtomicLongArray(connections);
        responder = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::answerProbes, "generator-probes");
        accept.setDaemon(true);
        accept.start();
        senders = Executors.newScheduledThreadPool(2);
        int per = (hosts + connections - 1) / connections;
        for (int c = 0; c < connections; c++) {
            int from = c * per;
            int to = Math.min(hosts, from + per);
            if (from >= to) {
                break;
            }
            Socket s = new Socket("127.0.0.1", listenerPort);
            s.setTcpNoDelay(true);
            sockets.add(s);
            // spread the connections over the 100 ms period
            int connection = c;
            senders.scheduleAtFixedRate(
                    () -> send(s, connection, from, to),
                    c * 100L / connections,
                    100,
                    TimeUnit.MILLISECONDS);
        }
    }

    static String host(int i) {
        return "gen-" + i;
    }

    private void send(Socket s, int connection, int from, int to) {
        StringBuilder batch = new StringBuilder((to - from) * 100);
        List<Integer> included = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            if (silenced.contains(i)) {
                continue;
            }
            seq[i]++;
            batch.append(
                            codec.encode(
                                    new HeartbeatFrame(
                                            host(i),
                                            "base",
                                            FrameState.LIVE,
                                            boot,
                                            seq[i],
                                            responder.getLocalPort())))
                    .append('\n');
            included.add(i);
        }
        try {
            OutputStream out = s.getOutputStream();
            out.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long now = System.currentTimeMillis();
            synchronized (lastSent) {
                for (int i : included) {
                    lastSent[i] = now;
                }
            }
            sent.addAndGet(included.size());
        } catch (IOException e) {
            // the listener went away; the benchmark notices
        }
        batches.incrementAndGet(connection);
    }

    private void answerProbes() {
        while (!responder.isClosed()) {
            try {
                Socket s = responder.accept();
                answering.submit(() -> answer(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void answer(Socket s) {
        try (s;
                BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(
                                        s.getInputStream(), StandardCharsets.US_ASCII))) {
            String request = in.readLine();
            if (request == null) {
                return;
            }
            String answer =
                    ProbeMessages.answerAny(
                            request,
                            boot,
                            signer,
                            (host, config) ->
                                    !silenced.contains(Integer.parseInt(host.substring(4))));
            if (answer != null) {
                s.getOutputStream().write((answer + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException | RuntimeException e) {
            // a probe we could not answer
        }
    }

    /** Frames sent so far. */
    long sent() {
        return sent.get();
    }

    /**
     * Stops heartbeats and probe answers of these hosts; returns each one's last send time. A batch
     * being built or written now may still carry them, late if this JVM is short of CPU: the times
     * are read once every connection has written two more batches, the second built without them.
     */
    long[] silence(List<Integer> which) {
        silenced.addAll(which);
        long[] before = new long[batches.length()];
        for (int c = 0; c < before.length; c++) {
            before[c] = batches.get(c);
        }
        long from = System.nanoTime();
        long deadline = from + TimeUnit.SECONDS.toNanos(5);
        try {
            for (int c = 0; c < before.length; c++) {
                while (batches.get(c) < before[c] + 2 && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(5);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        silenceWaitNanos = System.nanoTime() - from;
        long[] last = new long[which.size()];
        synchronized (lastSent) {
            for (int k = 0; k < which.size(); k++) {
                last[k] = lastSent[which.get(k)];
            }
        }
        return last;
    }

    /**
     * How long the last {@link #silence} waited for two more batches of every connection: 100 to
     * 200 ms when this JVM keeps its schedule.
     */
    long silenceWaitMillis() {
        return TimeUnit.NANOSECONDS.toMillis(silenceWaitNanos);
    }

    int hosts() {
        return hosts;
    }

    @Override
    public void close() throws IOException {
        senders.shutdownNow();
        answering.shutdownNow();
        responder.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
