package dev.hotbackup.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the kernel and the JVM say about another process: CPU time and heap in use. */
final class Proc {

    private static final long TICKS = ticks();

    private Proc() {}

    /** CPU time (user + system) of the process so far, in nanoseconds. */
    static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * 1_000_000_000L / TICKS;
    }

    /**
     * Bytes waiting in the kernel on loopback connections to {@code port} (from /proc/net/tcp):
     * {@code [0]} received and not yet read by the process listening on it, {@code [1]} written by
     * its peers and not yet sent (the listener's receive window is full).
     */
    static long[] tcpQueues(int port) throws IOException {
        String hexPort = String.format(":%04X", port);
        long unread = 0;
        long unsent = 0;
        for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5 || !f[3].equals("01")) {
                continue; // the header, or not ESTABLISHED
            }
            String[] q = f[4].split(":");
            if (f[1].endsWith(hexPort)) {
                unread += Long.parseLong(q[1], 16);
            } else if (f[2].endsWith(hexPort)) {
                unsent += Long.parseLong(q[0], 16);
            }
        }
        return new long[] {unread, unsent};
    }

    /** CPU time of every process of {@code user}, summed (PostgreSQL forks one per connection). */
    static long cpuNanosOfUser(String user) throws IOException {
        String uid = uid(user);
        long total = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String status = Files.readString(p.resolve("status"));
                    if (status.lines().anyMatch(l -> l.startsWith("Uid:\t" + uid + "\t"))) {
                        total += cpuNanos(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // the process ended meanwhile
                }
            }
        }
        return total;
    }

    private static String uid(String user) throws IOException {
        for (String l : Files.readAllLines(Path.of("/etc/passwd"))) {
            String[] f = l.split(":");
            if (f[0].equals(user)) {
                return f[2];
            }
        }
        throw new IOException("no user " + user);
    }

    /** Heap in use after a full GC, in bytes (jcmd GC.run, then GC.heap_info). */
    static long heapAfterGc(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("no heap figure in: " + info);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    /** Resident memory of the process, in bytes. */
    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }

    /** Stops the JFR recording {@code name} and writes it to {@code file}. */
    static void jfrStop(long pid, String name, Path file) throws Exception {
        String out = jcmd(pid, "JFR.stop", "name=" + name, "filename=" + file);
        if (!Files.exists(file)) {
            throw new IllegalStateException("JFR wrote no recording: " + out.strip());
        }
    }

    private static String jcmd(long pid, String... command) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(pid));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    private static long ticks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            return Long.parseLong(new String(p.getInputStream().readAllBytes()).trim());
        } catch (Exception e) {
            return 100;
        }
    }
}
