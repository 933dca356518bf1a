package dev.hotbackup.testing;

import dev.hotbackup.link.FrameState;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.HeartbeatFrame;
import dev.hotbackup.link.Signer;
import dev.hotbackup.link.Tls;
import dev.hotbackup.probe.ProbeResponder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;

/**
 * A live host for listener tests: speaks the real signed heartbeat protocol over a real loopback
 * socket and answers the reconfirm probe with the pack's own {@link ProbeResponder}. Every frame it
 * writes is kept, so tests can replay them.
 */
public final class FakeLiveHost implements AutoCloseable {

    private final String host;
    private final String config;
    private final int listenerPort;
    private final HeartbeatCodec codec;
    private final Signer signer;
    private final AtomicLong seq = new AtomicLong();
    private final AtomicBoolean answering = new AtomicBoolean(true);
    private final List<String> written = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private long boot;
    private Tls tls;
    private Socket socket;
    private ProbeResponder responder;
    private ScheduledFuture<?> beating;
    private volatile long lastSentNanos;
    private volatile int announcedProbePort = -1;

    public FakeLiveHost(String host, String config, String secret, int listenerPort) {
        this.host = host;
        this.config = config;
        this.listenerPort = listenerPort;
        this.signer = Signer.of(secret);
        this.codec = new HeartbeatCodec(signer);
        this.boot = System.currentTimeMillis();
    }

    /** Speaks TLS on the heartbeat connection and the probe (call before start). */
    public FakeLiveHost withTls(Tls tls) {
        this.tls = tls;
        return this;
    }

    /** Starts answering probes and connects to the listener. */
    public FakeLiveHost start() throws Exception {
        responder =
                new ProbeResponder(
                        "127.0.0.1", 0, host, config, () -> boot, signer, answering::get, tls);
        responder.start();
        socket = connect();
        return this;
    }

    private Socket connect() throws IOException {
        Socket s;
        if (tls == null) {
            s = new Socket("127.0.0.1", listenerPort);
        } else {
            SSLSocket ssl =
                    (SSLSocket)
                            tls.context()
                                    .getSocketFactory()
                                    .createSocket("127.0.0.1", listenerPort);
            ssl.startHandshake();
            s = ssl;
        }
        s.setTcpNoDelay(true);
        return s;
    }

    /** Sends one frame with the next sequence number and returns the line sent. */
    public synchronized String send(FrameState state) throws IOException {
        String line =
                codec.encode(
                        new HeartbeatFrame(
                                host,
                                config,
                                state,
                                boot,
                                seq.incrementAndGet(),
                                announcedProbePort >= 0
                                        ? announcedProbePort
                                        : responder.boundPort()));
        sendLine(line);
        return line;
    }

    /** Writes any text followed by a newline, as it is. */
    public synchronized void sendLine(String line) throws IOException {
        sendBytes((line + "\n").getBytes(StandardCharsets.ISO_8859_1));
        written.add(line);
        lastSentNanos = System.nanoTime();
    }

    /** Writes raw bytes. */
    public synchronized void sendBytes(byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /** Sends a LIVE frame every {@code periodMillis} until {@link #stopHeartbeats()}. */
    public void startHeartbeats(long periodMillis) {
        beating =
                timer.scheduleAtFixedRate(
                        () -> {
                            try {
                                send(FrameState.LIVE);
                            } catch (IOException e) {
                                beating.cancel(false);
                            }
                        },
                        0,
                        periodMillis,
                        TimeUnit.MILLISECONDS);
    }

    /** Stops the periodic heartbeat; returns the monotonic time of the last frame sent. */
    public long stopHeartbeats() throws Exception {
        if (beating != null) {
            beating.cancel(false);
            // the timer has one thread: once this no-op ran, no frame is being written
            timer.submit(() -> {}).get(5, TimeUnit.SECONDS);
        }
        synchronized (this) {
            return lastSentNanos;
        }
    }

    /** Whether the probe is answered; a hung process answers nothing. */
    public void answerProbes(boolean answer) {
        answering.set(answer);
    }

    /** Closes the probe port (the process no longer listens), keeping the heartbeat connection. */
    public void stopAnsweringPort() throws Exception {
        responder.stop();
    }

    /** Drops the heartbeat connection (reset), as a network failure would; the process lives on. */
    public void dropConnection() throws Exception {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Announces this probe port in its frames instead of the real one (a wrong setting). */
    public void announceProbePort(int port) {
        announcedProbePort = port;
    }

    /** Simulates a crash: no more frames, probe port closed, connection reset. */
    public void crash() throws Exception {
        stopHeartbeats();
        responder.stop();
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Simulates a new run of the process: new boot id, sequence from 1, new connection. */
    public void restart() throws Exception {
        boot = Math.max(boot + 1, System.currentTimeMillis());
        seq.set(0);
        if (socket != null && !socket.isClosed()) {
            socket.close();
        }
        if (!responder.isStarted()) {
            responder.start();
        }
        socket = connect();
    }

    /** Every line written so far, for replay tests. */
    public synchronized List<String> written() {
        return new ArrayList<>(written);
    }

    public String host() {
        return host;
    }

    public String config() {
        return config;
    }

    @Override
    public void close() throws Exception {
        timer.shutdownNow();
        if (socket != null) {
            socket.close();
        }
        if (responder != null) {
            responder.stop();
        }
    }
}
