package dev.hotbackup.arbiter.file;

import dev.hotbackup.arbiter.Arbiter;
import dev.hotbackup.arbiter.ArbiterSetupException;
import dev.hotbackup.arbiter.Attempt;
import dev.hotbackup.arbiter.Holder;
import dev.hotbackup.arbiter.LeaseRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fiorano's lock file: a lease is an exclusive operating-system lock on one file per lease in a
 * folder on shared storage, with the holder and epoch written inside. The system frees the lock
 * when its holder dies, so a crash fails over at once; a hung holder keeps it (see
 * docs/fencing.md). Renewal rewrites the record and forces it to storage: storage that stops
 * answering fails the renewal, and the deadline fences.
 *
 * <p>A process holds at most one channel per lock file: on Linux, closing any channel of a file
 * drops every lock the process has on it.
 */
public final class FileArbiter implements Arbiter {

    public static final String PATH_KEY = "hotbackup.arbiter.file.path";

    private static final String SUFFIX = ".lock";

    /** One channel per lock file for the whole process, counted by its users. */
    private static final Map<Path, Shared> CHANNELS = new HashMap<>();

    private static final class Shared {
        final FileChannel channel;
        int users;

        Shared(FileChannel channel) {
            this.channel = channel;
        }
    }

    private record Held(Path file, FileChannel channel, FileLock lock, long epoch) {}

    private record Content(Holder holder, long epoch, boolean released) {}

    private final Path dir;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    public FileArbiter(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    @Override
    public String describe() {
        return "file " + dir;
    }

    @Override
    public String start() throws ArbiterSetupException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ArbiterSetupException(
                    PATH_KEY, "cannot create the folder " + dir + ": " + message(e));
        }
        if (!Files.isDirectory(dir)) {
            throw new ArbiterSetupException(PATH_KEY, dir + " is not a folder");
        }
        if (!Files.isWritable(dir)) {
            throw new ArbiterSetupException(
                    PATH_KEY, "cannot write in " + dir + ": lock files are created there");
        }
        return null;
    }

    /**
     * Notes are files in {@code notes/} beside the lock files, each replaced whole (written aside,
     * then renamed over), so a reader sees the old value or the new one.
     */
    @Override
    public Map<String, String> notes(String prefix) throws IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        Path notes = dir.resolve("notes");
        if (!Files.isDirectory(notes)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(notes, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = key(f);
                if (name.startsWith(prefix)) {
                    try {
                        out.put(name, Files.readString(f, StandardCharsets.UTF_8));
                    } catch (java.nio.file.NoSuchFileException gone) {
                        // removed meanwhile
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void note(String name, String value) throws IOException {
        Path notes = dir.resolve("notes");
        Files.createDirectories(notes);
        Path f = notes.resolve(file(name).getFileName());
        if (value == null) {
            Files.deleteIfExists(f);
            return;
        }
        Path aside = Files.createTempFile(notes, ".note", ".tmp");
        try {
            Files.writeString(aside, value, StandardCharsets.UTF_8);
            Files.move(
                    aside,
                    f,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    /** The lock file of a lease: its key with every other character than [A-Za-z0-9._-] escaped. */
    Path file(String key) {
        StringBuilder name = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-') {
                name.append(c);
            } else {
                name.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return dir.resolve(name + SUFFIX);
    }

    static String key(Path file) {
        String name = file.getFileName().toString();
        name = name.substring(0, name.length() - SUFFIX.length());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%' && i + 2 < name.length()) {
                out.write(Integer.parseInt(name.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public Attempt acquire(String key, Holder me, long leaseMillis) {
        Held h = held.get(key);
        if (h != null && h.lock().isValid()) {
            return new Attempt.Granted(h.epoch());
        }
        Path f = file(key);
        FileChannel ch;
        try {
            ch = open(f);
        } catch (IOException e) {
            return new Attempt.Unreachable("cannot open " + f + ": " + message(e));
        }
        FileLock lock = null;
        try {
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // another keeper of this process holds it
            }
            Content c = read(ch);
            if (lock == null) {
                done(f);
                return new Attempt.Held(new LeaseRecord(key, c.holder(), c.epoch(), -1));
            }
            long epoch = c.epoch() + 1;
            write(ch, new Content(me, epoch, false));
            held.put(key, new Held(f, ch, lock, epoch));
            return new Attempt.Granted(epoch);
        } catch (IOException e) {
            if (lock != null) {
                try {
                    lock.release();
                } catch (IOException ignored) {
                    // the channel is closed below if unused
                }
            }
            done(f);
            return new Attempt.Unreachable(f + ": " + message(e));
        }
    }

    @Override
    public Map<String, Attempt> renew(Map<String, Long> leases, Holder me, long leaseMillis) {
        Map<String, Attempt> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> l : leases.entrySet()) {
            Held h = held.get(l.getKey());
            try {
                if (h == null || !h.lock().isValid() || h.epoch() != l.getValue()) {
                    Path f = file(l.getKey());
                    FileChannel ch = open(f);
                    try {
                        Content c = read(ch);
                        out.put(
                                l.getKey(),
                                new Attempt.Held(
                                        new LeaseRecord(l.getKey(), c.holder(), c.epoch(), -1)));
                    } finally {
                        done(f);
                    }
                    continue;
                }
                // storage that no longer takes a write fails the renewal
                write(h.channel(), new Content(me, h.epoch(), false));
                out.put(l.getKey(), new Attempt.Granted(h.epoch()));
            } catch (IOException e) {
                out.put(l.getKey(), new Attempt.Unreachable(message(e)));
            }
        }
        return out;
    }

    @Override
    public void release(String key, Holder me, long epoch) throws IOException {
        Held h = held.get(key);
        if (h == null || h.epoch() != epoch) {
            return;
        }
        held.remove(key);
        try {
            write(h.channel(), new Content(me, epoch, true));
        } finally {
            try {
                h.lock().release();
            } finally {
                done(h.file());
            }
        }
    }

    @Override
    public List<LeaseRecord> table() throws IOException {
        List<LeaseRecord> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                String key = key(f);
                Held h = held.get(key);
                FileChannel ch = open(f);
                try {
                    Content c = read(ch);
                    boolean locked;
                    if (h != null) {
                        locked = h.lock().isValid();
                    } else {
                        FileLock probe;
                        try {
                            probe = ch.tryLock(0, Long.MAX_VALUE, true);
                        } catch (OverlappingFileLockException e) {
                            probe = null;
                        }
                        locked = probe == null;
                        if (probe != null) {
                            probe.release();
                        }
                    }
                    out.add(new LeaseRecord(key, c.holder(), c.epoch(), locked ? -1 : 0));
                } finally {
                    done(f);
                }
            }
        }
        out.sort((a, b) -> a.key().compareTo(b.key()));
        return out;
    }

    @Override
    public void close() {
        for (String key : List.copyOf(held.keySet())) {
            Held h = held.remove(key);
            try {
                h.lock().release();
            } catch (IOException e) {
                // closing the channel drops it anyway
            } finally {
                done(h.file());
            }
        }
    }

    private static Content read(FileChannel ch) throws IOException {
        long size = Math.min(ch.size(), 4096);
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
            // read it whole
        }
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).trim();
        String[] f = text.split("\t");
        if (f.length < 5 || !f[0].equals("hotbackup-lease-v1")) {
            return new Content(new Holder("nobody", "-"), 0, true);
        }
        return new Content(new Holder(f[2], f[3]), Long.parseLong(f[1]), f[4].equals("released"));
    }

    private static void write(FileChannel ch, Content c) throws IOException {
        String text =
                String.join(
                                "\t",
                                "hotbackup-lease-v1",
                                Long.toString(c.epoch()),
                                c.holder().host(),
                                c.holder().instance(),
                                c.released() ? "released" : "held")
                        + "\n";
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        long pos = 0;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
        ch.truncate(pos);
        ch.force(true);
    }

    private static FileChannel open(Path f) throws IOException {
        synchronized (CHANNELS) {
            Shared s = CHANNELS.get(f);
            if (s == null || !s.channel.isOpen()) {
                s =
                        new Shared(
                                FileChannel.open(
                                        f,
                                        StandardOpenOption.CREATE,
                                        StandardOpenOption.READ,
                                        StandardOpenOption.WRITE));
                CHANNELS.put(f, s);
            }
            s.users++;
            return s.channel;
        }
    }

    private static void done(Path f) {
        synchronized (CHANNELS) {
            Shared s = CHANNELS.get(f);
            if (s != null && --s.users <= 0) {
                CHANNELS.remove(f);
                try {
                    s.channel.close();
                } catch (IOException ignored) {
                    // nothing held on it
                }
            }
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
