package dev.hotbackup.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One Java program run as a separate JVM, for the end-to-end tests, the demo and the benchmark: its
 * output in {@code <name>-<run>.log} in its working directory, bounded waits on that output, and
 * the signals a test sends (SIGKILL, SIGTERM, SIGSTOP, SIGCONT). Closing it kills it.
 */
public final class JvmProcess implements AutoCloseable {

    private final String name;
    private final Path dir;
    private final Supplier<List<String>> arguments;
    private final Map<String, String> environment;
    private List<String> prefix = List.of();
    private Process process;
    private int runs;

    /**
     * @param arguments what follows {@code java} at each start: JVM options, then {@code -jar
     *     x.jar} or {@code -cp ... Main}, then the program's arguments
     * @param environment variables added to the process's environment at each start
     */
    public JvmProcess(
            String name,
            Path dir,
            Supplier<List<String>> arguments,
            Map<String, String> environment)
            throws IOException {
        this.name = name;
        this.dir = Files.createDirectories(dir);
        this.arguments = arguments;
        this.environment = environment;
    }

    /** A main class of this test classpath, in its own JVM (the benchmark's peers). */
    public static JvmProcess ofMain(Path dir, String name, String mainClass, String... args)
            throws IOException {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "-Xmx256m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                mainClass));
        a.addAll(List.of(args));
        return new JvmProcess(name, dir, () -> a, Map.of());
    }

    public String name() {
        return name;
    }

    /**
     * What the JVM is run through from the next start on, such as {@code ip netns exec hb-a} (which
     * execs it: the process is still the JVM itself).
     */
    public JvmProcess prefix(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
        return this;
    }

    /** Starts a new run; its output goes to a log file of its own. */
    public JvmProcess start() throws IOException {
        runs++;
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments.get());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        process =
                builder.directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log().toFile())
                        .start();
        return this;
    }

    private Path log() {
        return dir.resolve(name + "-" + runs + ".log");
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Everything the current run printed so far. */
    public String output() throws IOException {
        Path out = log();
        return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
    }

    /** Waits until the current run printed {@code text}; fails with its output if it exits. */
    public boolean awaitOutput(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited with " + process.exitValue() + ":\n" + output());
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return false;
    }

    /** SIGKILL: the process dies at once. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Waits up to {@code max} for the process to end by itself; its exit code. */
    public int exitCode(Duration max) throws InterruptedException {
        if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " still runs after " + max);
        }
        return process.exitValue();
    }

    /** SIGTERM, then SIGKILL if it is still running after {@code grace}; its exit code. */
    public int stop(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
        return process.exitValue();
    }

    /** SIGSTOP: the process hangs; the kernel still accepts connections for it. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String sig) throws IOException, InterruptedException {
        Process kill =
                new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid()))
                        .inheritIO()
                        .start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + sig + " " + process.pid() + " failed");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            try {
                signal("CONT");
            } catch (IOException e) {
                // not paused
            }
            kill();
        }
    }
}
