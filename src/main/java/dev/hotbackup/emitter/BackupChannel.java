package dev.hotbackup.emitter;

import java.util.function.Consumer;

/**
 * One backup's heartbeat connection, kept open and written by the emitter itself, one line per
 * frame: a plain socket ({@link SocketBackupChannel}) or, with {@code hotbackup.tls.*}, a netty
 * channel ({@link TlsBackupChannel}).
 *
 * <p>A frame sent while the connection is being opened waits for it (only the newest such frame: an
 * older one is superseded and reported as {@link #CONNECTING}, not as a failure); if opening fails,
 * that frame fails with the cause. A connection the backup closed is opened again by the next
 * frame. Frames leave in the order they were sent, on the same connection, so the CLOSE frame
 * follows the heartbeats before it.
 */
interface BackupChannel {

    /** A frame's outcome while the connection is still being opened: not a failure yet. */
    Exception CONNECTING = new Exception("connecting", null, false, false) {};

    /**
     * Writes one line (ASCII, without its terminator); {@code done} gets {@code null} once it is
     * written, the cause if it cannot be, or {@link #CONNECTING}. Never blocks.
     */
    void send(String line, Consumer<Throwable> done);

    /** Closes the connection; frames sent afterwards fail at once. */
    void close();
}
