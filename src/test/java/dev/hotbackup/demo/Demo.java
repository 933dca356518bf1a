package dev.hotbackup.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.hotbackup.testing.ActivityLines;
import dev.hotbackup.testing.HotBackupProcess;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The README's demo: a live host and a full backup on this machine, on loopback, with GreenMail as
 * the SMTP server, playing failover and failback with the file use case. Prints each step with its
 * time; exits 0 only if every step happened.
 */
public final class Demo {

    private static final Duration STEP = Duration.ofSeconds(30);
    private static final String THRESHOLD = "3s";

    private final long start = System.nanoTime();
    private final Path work = Path.of("target/demo").toAbsolutePath();
    private final Path files = work.resolve("shared");
    private final Path sample = Path.of("samples/file-use-case");

    public static void main(String[] args) {
        int code;
        try {
            new Demo().run();
            code = 0;
        } catch (Exception e) {
            System.out.println();
            System.out.println("DEMO FAILED: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    private void run() throws Exception {
        deleteTree(work);
        Files.createDirectories(files.resolve("inbox"));
        int listenerPort = freePort();
        int smtpPort = freePort();
        Path jar = HotBackupProcess.packagedJar();
        System.out.println();
        System.out.println(
                "camel-hot-backup demo: a live host and a full backup on this machine, loopback only.");
        System.out.println("Work folder " + work + "; SMTP by GreenMail on port " + smtpPort + ".");
        System.out.println(
                "Threshold "
                        + THRESHOLD
                        + " (the default is 60s; shortened so the demo takes seconds).");
        System.out.println();

        int httpPort = freePort();
        int observePort = freePort();
        GreenMail mail =
                new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        try (HotBackupProcess backup =
                        new HotBackupProcess("backupB", work.resolve("backup"), jar)
                                .withRoutes(sample.resolve("routes"))
                                .set("hotbackup.listener.port", listenerPort)
                                .set("hotbackup.listener.bind-address", "127.0.0.1")
                                .set("hotbackup.listener.threshold", THRESHOLD)
                                .set("hotbackup.secret", "demo-secret-change-me")
                                .set("hotbackup.takeover.routes", "records-to-xml,xml-to-fin")
                                .set("hotbackup.mail.host", "127.0.0.1")
                                .set("hotbackup.mail.port", smtpPort)
                                .set("hotbackup.mail.to", "ops@example.com")
                                .set("files.dir", files)
                                .set("hotbackup.http.enabled", "true")
                                .set("hotbackup.http.port", httpPort)
                                .set("hotbackup.http.bind-address", "127.0.0.1")
                                .set("hotbackup.http.observe-port", observePort)
                                .arg("-b");
                HotBackupProcess live =
                        new HotBackupProcess("serverA", work.resolve("live"), jar)
                                .withRoutes(sample.resolve("routes"))
                                .set("hotbackup.backup-location", "127.0.0.1:" + listenerPort)
                                .set("hotbackup.secret", "demo-secret-change-me")
                                .set("files.dir", files)) {
            ActivityLines activity = backup.activity();

            say(
                    "Starting backupB as a full backup (-b), Backup listener on 127.0.0.1:"
                            + listenerPort);
            backup.start().awaitStarted();
            ok(
                    "backupB is up and waiting; its status page: http://127.0.0.1:"
                            + httpPort
                            + "/hotbackup/");

            say("Starting the live host serverA, heartbeating to backupB every 100ms");
            live.start().awaitStarted();
            String liveSignal =
                    activity.awaitAtLeast(1, STEP, "\"event\":\"signal\"", "\"state\":\"LIVE\"")
                            .get(0);
            ok("backupB signals " + signalOf(liveSignal));
            String first = activity.awaitAtLeast(1, STEP, "\"event\":\"release\"").get(0);
            if (!first.contains("records-to-xml: already stopped")
                    || !first.contains("xml-to-fin: already stopped")) {
                throw new IllegalStateException(
                        "the full backup ran the takeover routes before DEAD: " + first);
            }
            ok("backupB keeps its copies stopped: " + field(first, "detail"));

            say("Dropping batch-1.csv (3 payments) into " + files.resolve("inbox"));
            drop("batch-1.csv");
            until("3 FIN messages", () -> fins() >= 3);
            ok("serverA turned them into 3 FIN messages in " + files.resolve("out"));

            say("Killing serverA with SIGKILL (pid " + live.pid() + ")");
            long killed = System.nanoTime();
            live.kill();
            String dead =
                    activity.awaitAtLeast(1, STEP, "\"event\":\"signal\"", "\"state\":\"DEAD\"")
                            .get(0);
            ok(
                    String.format(
                            Locale.ROOT,
                            "backupB signals %s, %.2f s after the kill (%s)",
                            signalOf(dead),
                            (System.nanoTime() - killed) / 1e9,
                            field(dead, "detail")));
            String takeover =
                    activity.awaitAtLeast(1, STEP, "\"event\":\"takeover\"", "\"state\":\"DEAD\"")
                            .get(0);
            ok("backupB took over: " + field(takeover, "detail"));
            until(
                    "the DEAD mail",
                    () -> subjects(mail).contains("[hotbackup] serverA/base is DEAD"));
            ok("mail received: \"[hotbackup] serverA/base is DEAD\"");

            say("Dropping batch-2.csv (2 payments and 1 bad record)");
            drop("batch-2.csv");
            until(
                    "5 FIN messages",
                    () -> fins() >= 5 && backup.output().contains("written by backupB"));
            ok(
                    "backupB processed it: 5 FIN messages in all, the bad record set aside in "
                            + files.resolve("rejected"));

            say("Restarting serverA");
            live.start().awaitStarted();
            activity.awaitAtLeast(2, STEP, "\"event\":\"signal\"", "\"state\":\"LIVE\"");
            String release = activity.awaitAtLeast(2, STEP, "\"event\":\"release\"").get(1);
            ok("backupB signals LIVE and stepped back: " + field(release, "detail"));
            until(
                    "the LIVE mail",
                    () -> subjects(mail).stream().filter(s -> s.endsWith("LIVE")).count() >= 2);
            ok("mail received: \"[hotbackup] serverA/base is LIVE\"");

            say("Stopping serverA gracefully (SIGTERM)");
            live.stop();
            String close =
                    activity.awaitAtLeast(1, STEP, "\"event\":\"signal\"", "\"state\":\"CLOSE\"")
                            .get(0);
            ok("backupB signals " + signalOf(close) + " (" + field(close, "detail") + ")");
            String onClose = activity.awaitAtLeast(2, STEP, "\"event\":\"takeover\"").get(1);
            ok(
                    "hotbackup.takeover.on-close=true, so backupB runs the work again: "
                            + field(onClose, "detail"));

            say("Stopping backupB");
            backup.stop();
        } finally {
            mail.stop();
        }
        System.out.println();
        System.out.println("Every step happened. Look around:");
        System.out.println(
                "  activity log   " + work.resolve("backup/logs/hotbackup-activity.log"));
        System.out.println(
                "  process output "
                        + work.resolve("backup/out-1.log")
                        + ", "
                        + work.resolve("live/out-*.log"));
        System.out.println("  FIN messages   " + files.resolve("out"));
    }

    private void drop(String name) throws IOException {
        Path tmp = files.resolve("inbox").resolve(name + ".part");
        Files.copy(sample.resolve("batches").resolve(name), tmp);
        Files.move(tmp, files.resolve("inbox").resolve(name));
    }

    private long fins() throws IOException {
        Path out = files.resolve("out");
        if (!Files.isDirectory(out)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> p.toString().endsWith(".fin")).count();
        }
    }

    private static List<String> subjects(GreenMail mail) throws Exception {
        return Stream.of(mail.getReceivedMessages()).map(Demo::subject).toList();
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            return "";
        }
    }

    private static void until(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "no " + what + " within " + STEP.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static String signalOf(String entry) {
        return field(entry, "state")
                + " for "
                + field(entry, "host")
                + "/"
                + field(entry, "config");
    }

    private static String field(String json, String key) {
        return json.replaceAll(".*\"" + key + "\":\"((?:[^\"\\\\]|\\\\.)*)\".*", "$1");
    }

    private void say(String text) {
        System.out.printf(Locale.ROOT, "[%6.2f s]    %s ...%n", elapsed(), text);
    }

    private void ok(String text) {
        System.out.printf(Locale.ROOT, "[%6.2f s] OK %s%n", elapsed(), text);
    }

    private double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
