package dev.hotbackup.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Another main class of this classpath, run as a separate JVM (the benchmark's peers). */
final class JavaProcess implements AutoCloseable {

    private final Path dir;
    private final String name;
    private final List<String> command = new ArrayList<>();
    private Process process;
    private int runs;

    JavaProcess(Path dir, String name, String mainClass, String... args) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.name = name;
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
    }

    JavaProcess start() throws IOException {
        runs++;
        process =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve(name + "-" + runs + ".log").toFile())
                        .start();
        return this;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    String output() throws IOException {
        Path out = dir.resolve(name + "-" + runs + ".log");
        return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
    }

    boolean awaitOutput(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited:\n" + output());
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        return false;
    }

    long pid() {
        return process.pid();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    void signal(String sig) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).start().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
