package dev.hotbackup.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a guarded route did on every host, one line per exchange: {@code time host epoch}, written
 * by the route {@code ledger} of the partition tests (a timer every 20 ms appending to {@code
 * ledger/ledger.txt} in each instance's folder). The hosts run on one machine, so their wall clocks
 * are the same clock.
 *
 * <p>A line's time is when its exchange was made, just before the lease's gate let it in: what the
 * pack decides is which exchanges start, and when. An exchange let in just before its process froze
 * (SIGSTOP) finishes when it thaws, maybe after another host took the lease over; that late write
 * is the fencing token's to refuse (docs/fencing.md, "Carry the epoch downstream"; {@code
 * StuckRouteIT}), and stamped with the time it was written it would read as two hosts at once.
 */
public final class Ledger {

    /** The route both hosts run: the live host under its lease, the backup when it takes over. */
    public static final String ROUTE_YAML =
            """
            # One line per exchange, for the partition tests: when, who, under which epoch.
            - route:
                id: ledger
                from:
                  uri: timer:ledger
                  parameters:
                    period: 20
                    delay: 0
                  steps:
                    - setBody:
                        simple: "${date:exchangeCreated:yyyy-MM-dd'T'HH:mm:ss.SSS} {{hotbackup.host}} ${header.HotBackupEpoch}${sys.line.separator}"
                    - to:
                        uri: file:ledger
                        parameters:
                          fileName: ledger.txt
                          fileExist: Append
            """;

    /** The same route in XML. */
    public static final String ROUTE_XML =
            """
            <routes xmlns="http://camel.apache.org/schema/xml-io">
                <!-- One line per exchange, for the partition tests: when, who, under which epoch. -->
                <route id="ledger">
                    <from uri="timer:ledger?period=20&amp;delay=0"/>
                    <setBody>
                        <simple>${date:exchangeCreated:yyyy-MM-dd'T'HH:mm:ss.SSS} {{hotbackup.host}} ${header.HotBackupEpoch}${sys.line.separator}</simple>
                    </setBody>
                    <to uri="file:ledger?fileName=ledger.txt&amp;fileExist=Append"/>
                </route>
            </routes>
            """;

    /**
     * A route like {@code ledger} with its own id, writing {@code ledger/<id>.txt}: one per unit of
     * a group's work in the group tests.
     */
    public static String routeYaml(String id) {
        return ROUTE_YAML
                .replace("id: ledger", "id: " + id)
                .replace("uri: timer:ledger", "uri: timer:" + id)
                .replace("fileName: ledger.txt", "fileName: " + id + ".txt");
    }

    /** One exchange. */
    public record Line(long millis, String host, long epoch) {}

    /** A run of consecutive exchanges of one host under one epoch. */
    public record Segment(String host, long epoch, long from, long to, int lines) {
        @Override
        public String toString() {
            return host + "@" + epoch + " [" + from + ".." + to + ", " + lines + " lines]";
        }
    }

    private Ledger() {}

    /** Every host's lines, in time order. */
    public static List<Line> read(Path... folders) throws IOException {
        return read("ledger", folders);
    }

    /** Every host's lines of the route {@code id} ({@link #routeYaml}), in time order. */
    public static List<Line> read(String id, Path... folders) throws IOException {
        List<Line> all = new ArrayList<>();
        for (Path f : folders) {
            Path file = f.resolve("ledger/" + id + ".txt");
            if (!Files.exists(file)) {
                continue;
            }
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] p = l.trim().split(" ");
                if (p.length < 3 || p[2].isEmpty()) {
                    continue;
                }
                long ms =
                        LocalDateTime.parse(p[0])
                                .atZone(ZoneId.systemDefault())
                                .toInstant()
                                .toEpochMilli();
                all.add(new Line(ms, p[1], Long.parseLong(p[2])));
            }
        }
        all.sort(Comparator.comparingLong(Line::millis));
        return all;
    }

    /** The lines grouped into runs of one host and epoch. */
    public static List<Segment> segments(List<Line> lines) {
        List<Segment> out = new ArrayList<>();
        Segment cur = null;
        for (Line l : lines) {
            if (cur != null && cur.host().equals(l.host()) && cur.epoch() == l.epoch()) {
                cur = new Segment(cur.host(), cur.epoch(), cur.from(), l.millis(), cur.lines() + 1);
                out.set(out.size() - 1, cur);
            } else {
                cur = new Segment(l.host(), l.epoch(), l.millis(), l.millis(), 1);
                out.add(cur);
            }
        }
        return out;
    }

    /**
     * Never two actives, with fencing tokens: from one run to the next the epoch never goes down,
     * and it goes up whenever the host changes. Two hosts running at once would interleave their
     * lines, and one of them would come back with a lower epoch.
     *
     * @return what is wrong, or {@code null}
     */
    public static String problem(List<Segment> segments) {
        for (int i = 1; i < segments.size(); i++) {
            Segment a = segments.get(i - 1);
            Segment b = segments.get(i);
            boolean newHolder = !a.host().equals(b.host());
            if (b.epoch() < a.epoch() || (newHolder && b.epoch() == a.epoch())) {
                return "after " + a + " came " + b + " (all runs: " + segments + ")";
            }
        }
        return null;
    }

    /**
     * Whether {@code host} alone ran the route in the half second before {@code now}, and wrote
     * more than five lines in it after {@code since}.
     */
    public static boolean onlyBy(List<Line> lines, String host, long since, long now) {
        long mine = count(lines, host, Math.max(since, now - 500), now);
        long others =
                lines.stream()
                        .filter(l -> !l.host().equals(host) && l.millis() >= now - 500)
                        .count();
        return mine > 5 && others == 0;
    }

    /** Lines of {@code host} written between two times. */
    public static long count(List<Line> lines, String host, long from, long to) {
        return lines.stream()
                .filter(l -> l.host().equals(host) && l.millis() >= from && l.millis() < to)
                .count();
    }
}
