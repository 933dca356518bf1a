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
        List<String> got = new CopyOnWriteArrayList<>();
        try (HeldLane held =
                new HeldLane(
                        (line, source, address) -> got.add(line + "@" + source + "@" + address))) {
            FrameDecoders.Backlog backlog = held.backlog;
            FrameDecoders.Backlog.Lane lane = held.lane;
            CountDownLatch hold = held.hold;
            CountDownLatch first = held.first;
            assertTrue(lane.offer("l1", "/10.0.0.1:1", "10.0.0.1"));
            assertTrue(first.await(5, TimeUnit.SECONDS), "the intake thread took the first line");
            assertTrue(lane.offer("l2", "/10.0.0.1:1", "10.0.0.1"));
            assertTrue(lane.offer("l3", "/10.0.0.1:1", "10.0.0.1"));
            assertTrue(lane.offer("l4", "/10.0.0.1:1", "10.0.0.1"));
            assertFalse(backlog.droppedWithin(TimeUnit.SECONDS.toNanos(1)));
            assertEquals(3, backlog.waiting());
            assertFalse(lane.offer("l5", "/10.0.0.1:1", "10.0.0.1"), "the queue is full");
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
        }
    }

    @Test
    void aCloseFrameFindingTheLaneFullIsKeptAndHandledFirst() throws Exception {
        String close = "1 hostA base CLOSE 7 12 0 signature";
        List<String> got = new CopyOnWriteArrayList<>();
        try (HeldLane held = new HeldLane((line, source, address) -> got.add(line))) {
            FrameDecoders.Backlog backlog = held.backlog;
            FrameDecoders.Backlog.Lane lane = held.lane;
            CountDownLatch hold = held.hold;
            CountDownLatch first = held.first;
            assertTrue(lane.offer("1 hostA base LIVE 7 8 0 s", "/10.0.0.1:1", "10.0.0.1"));
            assertTrue(first.await(5, TimeUnit.SECONDS), "the intake thread took the first line");
            for (int seq = 9; seq <= 11; seq++) {
                assertTrue(lane.offer("1 hostA base LIVE 7 " + seq + " 0 s", "/a:1", "a"));
            }
            assertFalse(lane.offer("1 hostA base LIVE 7 12 0 s", "/a:1", "a"), "LIVE dropped");
            assertTrue(lane.offer(close, "/a:1", "a"), "CLOSE kept although the lane is full");
            assertEquals(4, backlog.waiting());
            assertFalse(
                    lane.offer("1 hostB base CLOSE 7 3 0 s", "/a:1", "a"),
                    "the reserve holds a hundredth of the lane, at least one: full too");
            hold.countDown();
            await("the queued lines handled")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> got.size() == 5);
            assertEquals(close, got.get(1), "the CLOSE goes before the frames queued: " + got);
        }
    }

    @Test
    void closeIsTheFourthField() {
        assertTrue(FrameDecoders.isClose("1 hostA base CLOSE 7 12 0 sig"));
        assertFalse(FrameDecoders.isClose("1 hostA base LIVE 7 12 0 sig"));
        assertFalse(FrameDecoders.isClose("1 CLOSE base LIVE 7 12 0 sig"));
        assertFalse(FrameDecoders.isClose("1 hostA CLOSE"));
        assertFalse(FrameDecoders.isClose("CLOSE"));
    }

    @Test
    void aLineWhoseHandlingThrowsDoesNotStopTheOthersAndStopEndsTheThread() throws Exception {
        FrameDecoders.Backlog backlog = new FrameDecoders.Backlog(100, 1);
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
                assertTrue(backlog.nextLane().offer(l, "/127.0.0.1:9", "127.0.0.1"));
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
            if (t.getName().startsWith("hotbackup-intake-") && t.isAlive()) {
                all.add(t);
            }
        }
        return all;
    }

    @Test
    void connectionsTakeTheLanesInTurnAndABusyLaneHoldsUpNoOther() throws Exception {
        FrameDecoders.Backlog backlog = new FrameDecoders.Backlog(10, 2);
        List<String> got = new CopyOnWriteArrayList<>();
        CountDownLatch hold = new CountDownLatch(1);
        backlog.drainInto(
                (line, source, address) -> {
                    if (line.startsWith("a")) {
                        try {
                            hold.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    got.add(line);
                });
        backlog.start();
        try {
            FrameDecoders.Backlog.Lane a = backlog.nextLane();
            FrameDecoders.Backlog.Lane b = backlog.nextLane();
            assertTrue(a != b, "two connections, two lanes");
            assertTrue(backlog.nextLane() == a, "the third connection shares the first lane");
            assertTrue(a.offer("a1", "/10.0.0.1:1", "10.0.0.1"));
            for (int i = 1; i <= 5; i++) {
                assertTrue(b.offer("b" + i, "/10.0.0.2:2", "10.0.0.2"));
            }
            await("the other lane's lines handled while the first is busy")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> got.equals(List.of("b1", "b2", "b3", "b4", "b5")));
            // each lane holds its share of hotbackup.listener.max-backlog: 5 of 10
            for (int i = 2; i <= 6; i++) {
                assertTrue(a.offer("a" + i, "/10.0.0.1:1", "10.0.0.1"), "a" + i);
            }
            assertFalse(a.offer("a7", "/10.0.0.1:1", "10.0.0.1"), "the busy lane is full");
            hold.countDown();
            await("the busy lane's lines handled, in order")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> got.size() == 11);
            assertEquals(List.of("a1", "a2", "a3", "a4", "a5", "a6"), got.subList(5, 11));
        } finally {
            backlog.stop();
        }
    }

    /**
     * A backlog of three frames in one lane, whose thread takes the first line and holds it until
     * {@code hold} is released; {@code first} says it took it.
     */
    private static final class HeldLane implements AutoCloseable {
        final FrameDecoders.Backlog backlog = new FrameDecoders.Backlog(3, 1);
        final CountDownLatch hold = new CountDownLatch(1);
        final CountDownLatch first = new CountDownLatch(1);
        final FrameDecoders.Backlog.Lane lane;

        HeldLane(FrameDecoders.Backlog.Sink record) {
            backlog.drainInto(
                    (line, source, address) -> {
                        first.countDown();
                        try {
                            hold.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        record.line(line, source, address);
                    });
            backlog.start();
            lane = backlog.nextLane();
        }

        @Override
        public void close() throws Exception {
            backlog.stop();
        }
    }
}
