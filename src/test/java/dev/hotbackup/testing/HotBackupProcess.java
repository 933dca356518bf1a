package dev.hotbackup.testing;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One camel-hot-backup instance run as a separate JVM from the packaged jar, in a working directory
 * of its own holding {@code application.properties} and {@code routes/}, as it would be deployed.
 * Used by the end-to-end tests and the demo.
 */
public final class HotBackupProcess implements AutoCloseable {

    private final String name;
    private final Path dir;
    private final Path jar;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<String> args = new ArrayList<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private List<String> prefix = List.of();
    private boolean archive = Boolean.parseBoolean(System.getProperty("hotbackup.it.cds", "true"));
    private JvmProcess process;

    /**
     * @param name a short name for logs (also the default {@code hotbackup.host})
     * @param dir the working directory; created, with an empty routes/
     */
    public HotBackupProcess(String name, Path dir, Path jar) throws IOException {
        this.name = name;
        this.dir = dir;
        this.jar = jar;
        // the pack's routes come from the jar: routes/ holds only a test's or sample's own
        Files.createDirectories(dir.resolve("routes"));
        properties.put("hotbackup.host", name);
        // several instances run on one machine: no HTTP server unless a test asks for one
        properties.put("hotbackup.http.enabled", "false");
    }

    /** The packaged jar: {@code -Dhotbackup.it.jar}, else {@code target/camel-hot-backup.jar}. */
    public static Path packagedJar() {
        Path jar = Path.of(System.getProperty("hotbackup.it.jar", "target/camel-hot-backup.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw package");
        }
        return jar.toAbsolutePath();
    }

    /** Adds the route files of a sample folder (for example the file use case). */
    public HotBackupProcess withRoutes(Path folder) throws IOException {
        copyRoutes(folder, dir.resolve("routes"));
        return this;
    }

    /** Takes every key of a sample's application.properties; later {@link #set} calls win. */
    public HotBackupProcess withProperties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        p.stringPropertyNames().stream().sorted().forEach(k -> properties.put(k, p.getProperty(k)));
        return this;
    }

    /**
     * A listener that only watches (a test or benchmark reads its activity log): its signals go to
     * a log endpoint at DEBUG, since a listener that takes nothing over, mails no one and hands its
     * signals to nobody is refused as a mistake.
     */
    public HotBackupProcess watchOnly() {
        return set("hotbackup.listener.signals-to", "log:hotbackup.signals?level=DEBUG");
    }

    public HotBackupProcess set(String key, Object value) {
        properties.put(key, String.valueOf(value));
        return this;
    }

    /** A JVM option, such as {@code -Dhotbackup.secret=...}. */
    public HotBackupProcess jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    /** An environment variable of the process, such as {@code HOTBACKUP_SECRET}. */
    public HotBackupProcess env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Runs the jar alone, without the build's class data sharing archive (the benchmark). */
    public HotBackupProcess withoutArchive() {
        archive = false;
        return this;
    }

    /** Runs the JVM inside a network namespace ({@link Netns}). */
    public HotBackupProcess inNamespace(Netns.Host host) {
        prefix = host.exec();
        return this;
    }

    public HotBackupProcess arg(String arg) {
        args.add(arg);
        return this;
    }

    public Path dir() {
        return dir;
    }

    public String name() {
        return name;
    }

    /** The activity log of this instance. */
    public ActivityLines activity() {
        return ActivityLines.of(
                dir.resolve(
                        properties.getOrDefault(
                                "hotbackup.listener.activity-log-file",
                                "logs/hotbackup-activity.log")));
    }

    /** Writes application.properties and starts the JVM; its output goes to {@code out-N.log}. */
    public HotBackupProcess start() throws IOException {
        StringBuilder props = new StringBuilder("# written by HotBackupProcess\n");
        properties.forEach(
                (k, v) -> props.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Files.writeString(dir.resolve("application.properties"), props, StandardCharsets.UTF_8);
        if (process == null) {
            process = new JvmProcess("out", dir, this::command, environment);
        }
        process.prefix(prefix);
        process.start();
        return this;
    }

    private List<String> command() {
        List<String> command = new ArrayList<>();
        command.add("-Xmx256m");
        if (!Boolean.getBoolean("bench.full-jit")) {
            // tests: start fast rather than run fast (the benchmark sets bench.full-jit)
            command.add("-XX:TieredStopAtLevel=1");
        }
        // vert.x's file cache in the instance's folder: a killed instance cannot remove it
        command.add("-Dvertx.cacheDirBase=" + dir.resolve("vertx-cache").toAbsolutePath());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jarWithArchive(command));
        command.addAll(args);
        return command;
    }

    /**
     * The jar as the command names it: with the class data sharing archive the build made
     * (target/camel-hot-backup.jsa, unless -Dhotbackup.it.cds=false), as a user runs it: {@code
     * camel-hot-backup.jar} in the working directory (a link here), which the archive names.
     */
    private String jarWithArchive(List<String> command) {
        Path archive = jar.resolveSibling("camel-hot-backup.jsa");
        if (!this.archive
                || !Files.isRegularFile(archive)
                || !jar.getFileName().toString().equals("camel-hot-backup.jar")) {
            return jar.toString();
        }
        Path link = dir.resolve("camel-hot-backup.jar");
        try {
            if (!Files.isSymbolicLink(link)) {
                Files.createSymbolicLink(link, jar);
            }
        } catch (IOException e) {
            return jar.toString();
        }
        command.add(command.size() - 1, "-XX:SharedArchiveFile=" + archive);
        return link.getFileName().toString();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Everything the current run printed so far. */
    public String output() throws IOException {
        return process.output();
    }

    /** Waits until the current run printed {@code text}, or fails with its output. */
    public void awaitOutput(String text, Duration timeout) throws Exception {
        if (!process.awaitOutput(text, timeout)) {
            throw new IllegalStateException(
                    name + " did not print '" + text + "' within " + timeout + ":\n" + output());
        }
    }

    /** Waits until Camel reports it started. */
    public HotBackupProcess awaitStarted() throws Exception {
        awaitOutput("(hotbackup) started in", Duration.ofSeconds(30));
        return this;
    }

    /** SIGKILL: the process dies at once, without CLOSE. */
    public void kill() throws InterruptedException {
        process.kill();
    }

    /** Waits up to {@code max} for the process to end by itself; its exit code. */
    public int exitCode(Duration max) throws InterruptedException {
        return process.exitCode(max);
    }

    /** SIGTERM: Camel stops gracefully and sends CLOSE; returns the exit code. */
    public int stop() throws InterruptedException {
        return process.stop(Duration.ofSeconds(20));
    }

    /** SIGSTOP: the process hangs; the kernel still accepts connections for it. */
    public void pause() throws IOException, InterruptedException {
        process.pause();
    }

    /** SIGCONT. */
    public void resume() throws IOException, InterruptedException {
        process.resume();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }

    private static void copyRoutes(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
