package dev.hotbackup.emitter;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.config.HostPort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plain heartbeat connection on its own, against real sockets: a backup that closes the
 * connection gets the next frame on a new one, a backup that stops reading costs bounded memory and
 * never a cut line, a connection that cannot be opened fails after the timeout, saying so, and a
 * backup's name that the name service does not answer holds no other backup's heartbeat.
 */
class SocketBackupChannelTest {

    private ScheduledExecutorService thread;
    private ExecutorService lookups;
    private AddressLookup lookup;

    /** The name service, as the channels see it. */
    private volatile AddressLookup.Resolver names = InetAddress::getByName;

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void thread() {
        thread = Executors.newSingleThreadScheduledExecutor();
        lookups = Executors.newCachedThreadPool();
        lookup = new AddressLookup(host -> names.resolve(host), () -> lookups);
    }

    @AfterEach
    void close() throws Exception {
        thread.shutdownNow();
        lookups.shutdownNow();
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void aConnectionTheBackupClosedIsReplacedByTheNextFrame() throws Exception {
        ServerSocket server = listen(50);
        SocketBackupChannel channel = channel(server, 1000);
        Socket first = accept(server, channel, "one");
        assertEquals("one", reader(first).readLine());

        first.close();
        // the next frame finds the connection closed, opens a new one and goes there
        Socket second = accept(server, channel, "two");
        assertEquals("two", reader(second).readLine());
        assertNull(send(channel, "three"), "written on the new connection");
        assertEquals("three", reader(second).readLine());
    }

    @Test
    void aBackupThatStopsReadingGetsNoCutLineAndFramesFailUntilItReadsAgain() throws Exception {
        ServerSocket server = new ServerSocket();
        // a small window, so that the kernel's buffers fill after a few frames
        server.setReceiveBufferSize(4096);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setSoTimeout(5000);
        open.add(server);
        SocketBackupChannel channel = channel(server, 1000);
        String line = "x".repeat(1000);
        Socket backup = accept(server, channel, line);

        Throwable refused = null;
        int sent = 1;
        while (refused == null && sent < 100_000) {
            refused = send(channel, line + " " + sent);
            sent++;
        }
        assertInstanceOf(IOException.class, refused, "a full buffer is reported");
        assertTrue(
                refused.getMessage().startsWith("the connection is stalled"), refused.toString());

        // once the backup reads again, every line it gets is whole, and new frames go through
        List<String> got = new CopyOnWriteArrayList<>();
        BufferedReader in = reader(backup);
        CompletableFuture.runAsync(
                () -> {
                    try {
                        for (String l = in.readLine(); l != null; l = in.readLine()) {
                            got.add(l);
                        }
                    } catch (IOException ended) {
                        // the test closed the socket
                    }
                });
        await("frames accepted again once the backup reads")
                .atMost(Duration.ofSeconds(10))
                .until(() -> send(channel, "after") == null);
        await("the frame after it arrives")
                .atMost(Duration.ofSeconds(10))
                .until(() -> got.contains("after"));
        for (String l : got) {
            assertTrue(l.equals("after") || l.startsWith(line), "a whole line: " + l.length());
        }
    }

    @Test
    void aConnectionThatCannotBeOpenedFailsAfterTheTimeout() throws Exception {
        // a backup whose accept queue is full: the kernel drops further SYNs, as a cut link would
        ServerSocket server = listen(1);
        for (int i = 0; i < 4; i++) {
            Socket s = new Socket();
            open.add(s);
            try {
                s.connect(server.getLocalSocketAddress(), 200);
            } catch (IOException timedOut) {
                break;
            }
        }
        SocketBackupChannel channel = channel(server, 300);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        long t0 = System.nanoTime();
        thread.execute(() -> channel.send("one", outcome::complete));
        Throwable error = outcome.get(5, TimeUnit.SECONDS);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertInstanceOf(ConnectException.class, error);
        assertEquals("connection timed out after 300 ms", error.getMessage());
        assertTrue(waited >= 300, "failed after " + waited + " ms");
    }

    @Test
    void aNameThatTheNameServiceDoesNotAnswerHoldsNoOtherBackupsHeartbeat() throws Exception {
        ServerSocket serverA = listen(50);
        ServerSocket serverB = listen(50);
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger asked = new AtomicInteger();
        List<String> askedOthers = new CopyOnWriteArrayList<>();
        names =
                host -> {
                    if (!host.equals("backup-b.test")) {
                        askedOthers.add(host);
                        return InetAddress.getByName(host);
                    }
                    asked.incrementAndGet();
                    // a name service that does not answer (glibc waits 5 s a try by default)
                    try {
                        if (answer.await(30, TimeUnit.SECONDS)) {
                            return InetAddress.getLoopbackAddress();
                        }
                    } catch (InterruptedException stopped) {
                        Thread.currentThread().interrupt();
                    }
                    throw new UnknownHostException("the test never answered");
                };
        SocketBackupChannel a = channel(serverA, 300);
        SocketBackupChannel b =
                new SocketBackupChannel(
                        new HostPort("backup-b.test", serverB.getLocalPort()), thread, lookup, 300);
        open.add(b::close);

        List<CompletableFuture<Throwable>> beat = beat("beat 1", b, a);
        CompletableFuture<Throwable> toB = beat.get(0);
        CompletableFuture<Throwable> toA = beat.get(1);
        Socket atA = serverA.accept();
        open.add(atA);
        assertNull(toA.get(5, TimeUnit.SECONDS), "A's frame left while B's name was looked up");
        assertEquals("beat 1", reader(atA).readLine());

        Throwable error = toB.get(5, TimeUnit.SECONDS);
        assertInstanceOf(UnknownHostException.class, error);
        assertEquals(
                "the name service did not answer for backup-b.test within 300 ms",
                error.getMessage());

        // the next heartbeats: A's still leave at once; B waits for the same lookup, not a new one
        beat = beat("beat 2", b, a);
        CompletableFuture<Throwable> toB2 = beat.get(0);
        CompletableFuture<Throwable> toA2 = beat.get(1);
        assertNull(toA2.get(5, TimeUnit.SECONDS));
        assertEquals(1, asked.get(), "one lookup of the name at a time");

        // the name service answers: B's waiting frame goes out on a new connection
        answer.countDown();
        Socket atB = serverB.accept();
        open.add(atB);
        assertNull(toB2.get(5, TimeUnit.SECONDS), "B reached once its name is known");
        assertEquals("beat 2", reader(atB).readLine());
        assertEquals(List.of(), askedOthers, "an IP address is no name to look up");
    }

    @Test
    void framesAfterCloseFailAtOnce() throws Exception {
        ServerSocket server = listen(50);
        SocketBackupChannel channel = channel(server, 1000);
        accept(server, channel, "one");
        channel.close();
        Throwable error = send(channel, "two");
        assertInstanceOf(IllegalStateException.class, error);
        assertEquals("the emitter is stopped", error.getMessage());
    }

    private ServerSocket listen(int backlog) throws IOException {
        ServerSocket server = new ServerSocket(0, backlog, InetAddress.getLoopbackAddress());
        server.setSoTimeout(5000);
        open.add(server);
        return server;
    }

    private SocketBackupChannel channel(ServerSocket server, long connectTimeoutMillis) {
        SocketBackupChannel channel =
                new SocketBackupChannel(
                        new HostPort("127.0.0.1", server.getLocalPort()),
                        thread,
                        lookup,
                        connectTimeoutMillis);
        open.add(channel::close);
        return channel;
    }

    /**
     * Sends {@code line} on the channel's thread and returns its outcome once the connection is
     * open.
     */
    private Socket accept(ServerSocket server, SocketBackupChannel channel, String line)
            throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        thread.execute(() -> channel.send(line, outcome::complete));
        Socket s = server.accept();
        open.add(s);
        assertNull(outcome.get(5, TimeUnit.SECONDS), "the first frame written once connected");
        return s;
    }

    /**
     * One heartbeat as the emitter sends it: {@code line} to each channel in turn, in one task on
     * the heartbeat's thread; each channel's outcome, in the same order.
     */
    private List<CompletableFuture<Throwable>> beat(String line, SocketBackupChannel... channels) {
        List<CompletableFuture<Throwable>> outcomes = new ArrayList<>();
        for (int i = 0; i < channels.length; i++) {
            outcomes.add(new CompletableFuture<>());
        }
        thread.execute(
                () -> {
                    for (int i = 0; i < channels.length; i++) {
                        channels[i].send(line, outcomes.get(i)::complete);
                    }
                });
        return outcomes;
    }

    /** Sends a frame on the channel's thread; its outcome. */
    private Throwable send(SocketBackupChannel channel, String line) throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        thread.execute(() -> channel.send(line, outcome::complete));
        return outcome.get(5, TimeUnit.SECONDS);
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(
                new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    }
}
