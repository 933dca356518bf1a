package dev.hotbackup.support;

import java.util.concurrent.ThreadFactory;

/** The threads the pack starts itself, outside Camel's executor service manager. */
public final class Threads {

    private Threads() {}

    /** Daemon threads named {@code name}: none of them keeps the JVM alive at stop. */
    public static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
