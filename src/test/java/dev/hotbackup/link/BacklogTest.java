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
 * The queue between the listener's network threads and the monitor: lines arrive in order; a lane
 * whose queue filled keeps each host's newest frame until it has caught up, never supersedes a
 * CLOSE, and drops (and says so) instead of growing; a line whose handling throws does not stop the
 * ones after it.
 */
class BacklogTest {

    static final FrameDecoders.Backlog.Offer QUEUED = FrameDecoders.Backlog.Offer.QUEUED;
    static final FrameDecoders.Backlog.Offer SUPERSEDED = FrameDecoders.Backlog.Offer.SUPERSEDED;
    static final FrameDecoders.Backlog.Offer DROPPED = FrameDecoders.Backlog.Offer.DROPPED;

    static String frame(String host, String state, int seq) {
        return "HB1 " + host + " base " + state + " 7 " + seq + " 0 sig";
    }

    @Test
    void linesArriveInOrderAndABehindLaneKeepsEachHostsNewest() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        try (HeldLane held =
                new HeldLane(
                        (line, source, address) ->
                                got.add(line.split(" ")[1] + line.split(" ")[5] + "@" + address))) {
            FrameDecoders.Backlog backlog = held.backlog;
            FrameDecoders.Backlog.Lane lane = held.lane;
            String from = "/10.0.0.1:1";
            held.fill("hostA", 1, from, "10.0.0.1");
            assertFalse(backlog.behindWithin(TimeUnit.SECONDS.toNanos(1)));
            assertEquals(3, backlog.waiting());

            // the queue is full: the lane is behind and keeps each host's newest frame
            assertEquals(QUEUED, lane.offer(frame("hostA", "LIVE", 5), from, "10.0.0.1"));
            assertTrue(backlog.behindWithin(TimeUnit.SECONDS.toNanos(1)));
            assertEquals(SUPERSEDED, lane.offer(frame("hostA", "LIVE", 6), from, "10.0.0.1"));
            assertEquals(QUEUED, lane.offer(frame("hostB", "LIVE", 1), from, "10.0.0.1"));
            assertEquals(
                    QUEUED,
                    lane.offer(frame("hostA", "LIVE", 1), "/10.0.0.2:2", "10.0.0.2"),
                    "the same host on another connection is another sender");
            assertEquals(
                    DROPPED,
                    lane.offer(frame("hostC", "LIVE", 1), from, "10.0.0.1"),
                    "behind on as many hosts as the queue holds: no more");
            assertEquals(6, backlog.waiting());
            held.hold.countDown();
            await("the lines handled").atMost(Duration.ofSeconds(5)).until(() -> got.size() == 7);
            assertEquals(
                    List.of(
                            "hostA1@10.0.0.1",
                            "hostA2@10.0.0.1",
                            "hostA3@10.0.0.1",
                            "hostA4@10.0.0.1",
                            "hostA6@10.0.0.1",
                            "hostB1@10.0.0.1",
                            "hostA1@10.0.0.2"),
                    got);

            // caught up: queued again, in order
            await("caught up").atMost(Duration.ofSeconds(5)).until(() -> !lane.isBehind());
            assertEquals(0, backlog.waiting());
            for (int seq = 7; seq <= 9; seq++) {
                assertEquals(QUEUED, lane.offer(frame("hostA", "LIVE", seq), from, "10.0.0.1"));
            }
            await("the new lines handled")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> got.size() == 10);
            assertEquals(
                    List.of("hostA7@10.0.0.1", "hostA8@10.0.0.1", "hostA9@10.0.0.1"),
                    got.subList(7, 10));
        }
    }

    @Test
    void aCloseFrameIsNeverSupersededAndHasAReserve() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        try (HeldLane held =
                new HeldLane(
                        (line, source, address) ->
                                got.add(
                                        line.split(" ")[1]
                                                + line.split(" ")[3]
                                                + line.split(" ")[5]))) {
            FrameDecoders.Backlog.Lane lane = held.lane;
            String from = "/10.0.0.1:1";
            held.fill("hostA", 8, from, "a");
            assertEquals(QUEUED, lane.offer(frame("hostA", "LIVE", 12), from, "a"));
            assertEquals(SUPERSEDED, lane.offer(frame("hostA", "CLOSE", 13), from, "a"));
            assertEquals(
                    DROPPED,
                    lane.offer(frame("hostA", "LIVE", 14), from, "a"),
                    "a CLOSE is never superseded");
            assertEquals(QUEUED, lane.offer(frame("hostB", "LIVE", 1), from, "a"));
            assertEquals(QUEUED, lane.offer(frame("hostC", "LIVE", 1), from, "a"));
            assertEquals(DROPPED, lane.offer(frame("hostD", "LIVE", 1), from, "a"), "full");
            assertEquals(
                    QUEUED,
                    lane.offer(frame("hostD", "CLOSE", 2), from, "a"),
                    "a CLOSE still finds room: the reserve");
            assertEquals(
                    DROPPED,
                    lane.offer(frame("hostE", "CLOSE", 1), from, "a"),
                    "the reserve holds a hundredth of the lane, at least one: full too");
            held.hold.countDown();
            await("the lines handled").atMost(Duration.ofSeconds(5)).until(() -> got.size() == 8);
            assertEquals(
                    List.of(
                            "hostALIVE8",
                            "hostALIVE9",
                            "hostALIVE10",
                            "hostALIVE11",
                            "hostACLOSE13",
                            "hostBLIVE1",
                            "hostCLIVE1",
                            "hostDCLOSE2"),
                    got);
        }
    }

    @Test
    void hostAndConfigAreTheSecondAndThirdFields() {
        assertEquals("hostA base", FrameDecoders.hostAndConfig("HB1 hostA base LIVE 7 12 0 s"));
        assertEquals("hostA base", FrameDecoders.hostAndConfig("HB1 hostA base"));
        assertEquals("HB1 hostA", FrameDecoders.hostAndConfig("HB1 hostA"));
        assertEquals("junk", FrameDecoders.hostAndConfig("junk"));
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
                assertEquals(QUEUED, backlog.nextLane().offer(l, "/127.0.0.1:9", "127.0.0.1"));
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
            assertEquals(QUEUED, a.offer("a1", "/10.0.0.1:1", "10.0.0.1"));
            for (int i = 1; i <= 5; i++) {
                assertEquals(QUEUED, b.offer("b" + i, "/10.0.0.2:2", "10.0.0.2"));
            }
            await("the other lane's lines handled while the first is busy")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> got.equals(List.of("b1", "b2", "b3", "b4", "b5")));
            // each lane holds its share of hotbackup.listener.max-backlog: 5 of 10
            for (int i = 2; i <= 6; i++) {
                assertEquals(QUEUED, a.offer("a" + i, "/10.0.0.1:1", "10.0.0.1"), "a" + i);
            }
            assertFalse(backlog.behindWithin(TimeUnit.SECONDS.toNanos(1)), "b is not behind");
            assertEquals(QUEUED, a.offer("a7", "/10.0.0.1:1", "10.0.0.1"), "the busy lane is full");
            assertTrue(backlog.behindWithin(TimeUnit.SECONDS.toNanos(1)), "a is behind");
            hold.countDown();
            await("the busy lane's lines handled, in order")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> got.size() == 12);
            assertEquals(List.of("a1", "a2", "a3", "a4", "a5", "a6", "a7"), got.subList(5, 12));
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

        /**
         * Fills the lane with LIVE frames of {@code host} from sequence {@code first}: the first is
         * taken and held by the intake thread, the next three fill the queue.
         */
        void fill(String host, int first, String from, String address) throws Exception {
            assertEquals(QUEUED, lane.offer(frame(host, "LIVE", first), from, address));
            assertTrue(this.first.await(5, TimeUnit.SECONDS), "the intake thread took the first");
            for (int seq = first + 1; seq <= first + 3; seq++) {
                assertEquals(QUEUED, lane.offer(frame(host, "LIVE", seq), from, address));
            }
        }

        @Override
        public void close() throws Exception {
            backlog.stop();
        }
    }
}
