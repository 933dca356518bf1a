package dev.hotbackup.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file system of its own (a 16 MiB ext4 image, loop-mounted) that a test can freeze: writes to it
 * then hang, as they do on an NFS hard mount whose server is gone, and the processes writing stay
 * killable only once it is thawed. Thawed and unmounted on close, also after a failure.
 */
public final class FreezableStorage implements AutoCloseable {

    private final Path path;
    private boolean frozen;

    private FreezableStorage(Path path) {
        this.path = path;
    }

    /** Mounts a new file system on the folder {@code at}, its image beside it. */
    public static FreezableStorage mount(Path at) throws IOException, InterruptedException {
        Files.createDirectories(at);
        Path image = at.resolveSibling(at.getFileName() + ".img");
        Command.run("truncate", "-s", "16M", image.toString());
        Command.run("mkfs.ext4", "-q", "-F", image.toString());
        Command.run("mount", "-o", "loop", image.toString(), at.toString());
        return new FreezableStorage(at);
    }

    public Path path() {
        return path;
    }

    /** Writes hang from now on. */
    public synchronized void freeze() throws IOException, InterruptedException {
        Command.run("fsfreeze", "-f", path.toString());
        frozen = true;
    }

    /** The storage answers again; the writes that hung complete. */
    public synchronized void thaw() throws IOException, InterruptedException {
        if (frozen) {
            Command.run("fsfreeze", "-u", path.toString());
            frozen = false;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            thaw();
        } finally {
            Command.run("umount", "-l", path.toString());
        }
    }
}
