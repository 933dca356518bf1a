package dev.hotbackup.testkit;

import dev.hotbackup.link.FrameState;
import dev.hotbackup.testing.FakeLiveHost;

/**
 * A live host for your tests: connects to the Backup listener of the instance under test, sends the
 * real signed heartbeat every 100 ms and answers the listener's probe, as a live host running the
 * pack does. Make it die, stop cleanly or come back, and see what your routes do.
 *
 * <pre>{@code
 * try (TestLiveHost serverA = TestLiveHost.start("serverA", 7811, "the-secret")) {
 *     serverA.die();
 *     Await.started(context, Duration.ofSeconds(10), "orders");
 *     serverA.comeBack();
 *     Await.stopped(context, Duration.ofSeconds(10), "orders");
 * }
 * }</pre>
 */
public final class TestLiveHost implements AutoCloseable {

    private static final long INTERVAL_MILLIS = 100;

    private final FakeLiveHost host;

    private TestLiveHost(FakeLiveHost host) {
        this.host = host;
    }

    /**
     * Starts a live host of config {@code base} heartbeating to the listener on {@code
     * 127.0.0.1:listenerPort}, signed with {@code secret} (the instance's {@code
     * hotbackup.secret}).
     */
    public static TestLiveHost start(String host, int listenerPort, String secret)
            throws Exception {
        return start(host, "base", listenerPort, secret);
    }

    /** The same for another {@code hotbackup.config}. */
    public static TestLiveHost start(String host, String config, int listenerPort, String secret)
            throws Exception {
        FakeLiveHost h = new FakeLiveHost(host, config, secret, listenerPort).start();
        h.startHeartbeats(INTERVAL_MILLIS);
        return new TestLiveHost(h);
    }

    /**
     * Dies as a crashed process does: no more heartbeats, its connection reset, its probe port
     * closed. The listener signals DEAD (at once for the reset connection, when the probe is
     * refused) and the takeover routes start.
     */
    public void die() throws Exception {
        host.crash();
    }

    /** Stops cleanly: sends CLOSE and stops heartbeating, as a live host that is shut down. */
    public void stopCleanly() throws Exception {
        host.stopHeartbeats();
        host.send(FrameState.CLOSE);
    }

    /** Comes back as a new run of the process (new boot, heartbeats again): LIVE again. */
    public void comeBack() throws Exception {
        host.restart();
        host.startHeartbeats(INTERVAL_MILLIS);
    }

    public String host() {
        return host.host();
    }

    public String config() {
        return host.config();
    }

    @Override
    public void close() throws Exception {
        host.close();
    }
}
