package dev.hotbackup.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The end-to-end tests' pair: a live host {@code serverA} and its backup {@code backupB}, two
 * processes of the packaged jar on loopback sharing a secret and a files folder, both with the file
 * use case's routes (CSV batches to XML to FIN messages), taken over by the backup. A test changes
 * what it needs with {@link HotBackupProcess#set} before starting them; closing the pair kills
 * both.
 */
public final class FileUseCasePair implements AutoCloseable {

    /** The shared secret of the two hosts. */
    public static final String SECRET = "e2e-secret-0123456789";

    private static final Path ROUTES = Path.of("samples/file-use-case/routes");

    /** The backup's listener port on 127.0.0.1. */
    public final int port = FreePorts.next();

    /** The folder both hosts read and write: inbox/, xml/, out/, rejected/. */
    public final Path files;

    public final HotBackupProcess backup;
    public final HotBackupProcess live;

    /** The two processes, not started, in folders {@code backup/} and {@code live/} of work. */
    public FileUseCasePair(Path work) throws IOException {
        files = work.resolve("shared");
        backup =
                new HotBackupProcess(
                                "backupB", work.resolve("backup"), HotBackupProcess.packagedJar())
                        .withRoutes(ROUTES)
                        .set("hotbackup.listener.port", port)
                        .set("hotbackup.listener.bind-address", "127.0.0.1")
                        .set("hotbackup.secret", SECRET)
                        .set("hotbackup.takeover.routes", "records-to-xml,xml-to-fin")
                        .set("files.dir", files);
        live =
                new HotBackupProcess(
                                "serverA", work.resolve("live"), HotBackupProcess.packagedJar())
                        .withRoutes(ROUTES)
                        .set("hotbackup.backup-location", "127.0.0.1:" + port)
                        .set("hotbackup.secret", SECRET)
                        .set("files.dir", files);
    }

    /** Starts the backup, then the live host, and waits until the backup sees it LIVE. */
    public FileUseCasePair start(Duration timeout) throws Exception {
        backup.start().awaitStarted();
        live.start().awaitStarted();
        backup.activity()
                .awaitAtLeast(
                        1,
                        timeout,
                        ActivityLines.field("event", "signal"),
                        ActivityLines.field("host", "serverA"),
                        ActivityLines.field("state", "LIVE"));
        return this;
    }

    /** Drops one of the sample's batches into the inbox. */
    public void drop(String batch) throws IOException {
        drop(batch, Files.readString(Path.of("samples/file-use-case/batches", batch)));
    }

    /** Writes a batch the way a producer should: under a temporary name, then renamed. */
    public void drop(String name, String content) throws IOException {
        Path inbox = Files.createDirectories(files.resolve("inbox"));
        Path tmp = inbox.resolve(name + ".part");
        Files.writeString(tmp, content);
        Files.move(tmp, inbox.resolve(name));
    }

    /** FIN messages written so far. */
    public long fins() throws IOException {
        Path out = files.resolve("out");
        if (!Files.isDirectory(out)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> p.toString().endsWith(".fin")).count();
        }
    }

    @Override
    public void close() throws InterruptedException {
        live.close();
        backup.close();
    }
}
