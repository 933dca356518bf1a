package dev.hotbackup.bench;

import static org.awaitility.Awaitility.await;

import dev.hotbackup.testing.JvmProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Camel's own failover: two members of a FileLockClusterService on a shared lock folder, each with
 * the master: file route. The leader is killed; the other takes over.
 */
final class MasterPair extends FailoverSubject {

    private final JvmProcess[] members = new JvmProcess[2];
    private int leader = -1;

    /**
     * @param intervalMs acquireLockInterval: how often the leader writes its heartbeat and the
     *     followers look
     * @param multiplier heartbeatTimeoutMultiplier: missed intervals before the leader is stale
     */
    MasterPair(Path dir, long intervalMs, int multiplier, long delayMs) throws Exception {
        super(dir);
        Path lock = Files.createDirectories(dir.resolve("lock"));
        for (int i = 0; i < 2; i++) {
            members[i] =
                    JvmProcess.ofMain(
                            dir,
                            "member" + i,
                            MasterPeer.class.getName(),
                            lock.toString(),
                            files.toString(),
                            Long.toString(intervalMs),
                            Integer.toString(multiplier),
                            Long.toString(delayMs));
        }
        members[0].start();
        members[1].start();
    }

    @Override
    void ready() throws Exception {
        if (leader >= 0) {
            return;
        }
        // one of the two leads, the other follows and is up
        try {
            await("one of the two leads")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(20))
                    .pollInSameThread()
                    .until(
                            () -> {
                                for (int i = 0; i < 2; i++) {
                                    if (!members[i].isAlive()) {
                                        throw new IllegalStateException(
                                                "member " + i + " exited: " + members[i].output());
                                    }
                                    if (members[i].output().contains("LEADER")) {
                                        leader = i;
                                    }
                                }
                                return leader >= 0;
                            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(
                    "no leader: " + members[0].output() + members[1].output());
        }
        members[1 - leader].awaitOutput("started in", Duration.ofSeconds(60));
    }

    @Override
    long kill(Kill kill) throws Exception {
        JvmProcess l = members[leader];
        long t0 = System.currentTimeMillis();
        switch (kill) {
            case SIGKILL -> l.kill();
            case SIGSTOP -> l.pause();
            case SIGTERM -> l.stop(Duration.ofSeconds(30));
        }
        return t0;
    }

    @Override
    void after(Kill kill) throws Exception {
        JvmProcess old = members[leader];
        old.close();
        JvmProcess follower = members[1 - leader];
        if (!follower.output().contains("LEADER")) {
            // no failover happened (a hung leader keeps its lock): start over
            follower.close();
            follower.start();
        }
        old.start();
        leader = -1;
    }

    @Override
    public void close() throws Exception {
        members[0].close();
        members[1].close();
    }
}
