package dev.hotbackup.link;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The queue between the listener's network threads and the monitor: lines arrive in order, a full
 * queue drops (and says so) instead of growing, and a line whose handling throws does not stop the
 * ones after it.
 */
class BacklogTest {

    @Test
    void linesArriveInOrderAndAFullQueueDropsInsteadOfGrowing() throws Exception {
        FrameDecoders.Backlog backlog = new FrameDecoders.Backlog(3);
        List<String> got = new CopyOnWriteArrayList<>();
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch first = new CountDownLatch(1);
        backlog.drainInto(
                (line, source, address) -> {
                    first.countDown();
                    try {
                        hold.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    got.add(line + "@" + source + "@" + address);
                });
        backlog.start();
        try {
            assertTrue(backlog.offer("l1", "/10.0.0.1:1", "10.0.0.1"));
            assertTrue(first.await(5, TimeUnit.SECONDS), "the intake thread took the first line");
            assertTrue(backlog.offer("l2", "/10.0.0.1:1", "10.0.0.1"));
            assertTrue(backlog.offer("l3", "/10.0.0.1:1", "10.0.0.1"));
            assertTrue(backlog.offer("l4", "/10.0.0.1:1", "10.0.0.1"));
            assertFalse(backlog.droppedWithin(TimeUnit.SECONDS.toNanos(1)));
            assertEquals(3, backlog.waiting());
            assertFalse(backlog.offer("l5", "/10.0.0.1:1", "10.0.0.1"), "the queue is full");
            assertTrue(backlog.droppedWithin(TimeUnit.SECONDS.toNanos(1)));
            hold.countDown();
            await("the queued lines handled")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> got.size() == 4);
            assertEquals(
                    List.of(
                            "l1@/10.0.0.1:1@10.0.0.1",
                            "l2@/10.0.0.1:1@10.0.0.1",
                            "l3@/10.0.0.1:1@10.0.0.1",
                            "l4@/10.0.0.1:1@10.0.0.1"),
                    got);
        } finally {
            backlog.stop();
        }
    }

    @Test
    void aLineWhoseHandlingThrowsDoesNotStopTheOthersAndStopEndsTheThread() throws Exception {
        FrameDecoders.Backlog backlog = new FrameDecoders.Backlog(100);
        List<String> got = new CopyOnWriteArrayList<>();
        backlog.drainInto(
                (line, source, address) -> {
                    if (line.equals("bad")) {
                        throw new IllegalStateException("a bug in one frame's handling");
                    }
                    got.add(line);
                });
        Set<Thread> before = intakeThreads();
        backlog.start();
        Set<Thread> ours = intakeThreads();
        ours.removeAll(before);
        assertEquals(1, ours.size(), "one intake thread started");
        try {
            for (String l : List.of("a", "bad", "b", "c")) {
                assertTrue(backlog.offer(l, "/127.0.0.1:9", "127.0.0.1"));
            }
            await("the lines after the bad one handled")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> got.equals(List.of("a", "b", "c")));
        } finally {
            backlog.stop();
        }
        assertFalse(ours.iterator().next().isAlive(), "the intake thread ended with stop");
    }

    private static Set<Thread> intakeThreads() {
        Set<Thread> all = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("hotbackup-intake") && t.isAlive()) {
                all.add(t);
            }
        }
        return all;
    }
}
