package dev.hotbackup.arbiter.jdbc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * For tests: an instance that hangs in the middle of a call to the database (a long pause, SIGSTOP,
 * a frozen VM). The call {@link #run run} here stops once, right after its first statement that
 * starts with the given SQL has executed, until {@link #close}: its connection stays open, as a
 * hung process's does.
 */
public final class Hang implements AutoCloseable {

    private final String sql;
    private final CountDownLatch hung = new CountDownLatch(1);
    private final CountDownLatch resume = new CountDownLatch(1);
    private volatile Thread thread;

    private Hang(String sql) {
        this.sql = sql;
        Database.afterStatement = this::hangHere;
    }

    /**
     * Hangs the next call {@link #run} here after its first statement starting with {@code sql}.
     */
    public static Hang after(String sql) {
        return new Hang(sql);
    }

    /** Runs {@code call} on a thread of its own, the one that hangs; waits until it has hung. */
    public <T> CompletableFuture<T> run(Supplier<T> call) throws InterruptedException {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t =
                new Thread(
                        () -> {
                            try {
                                f.complete(call.get());
                            } catch (RuntimeException | Error e) {
                                f.completeExceptionally(e);
                            }
                        },
                        "hung-instance");
        thread = t;
        t.setDaemon(true);
        t.start();
        if (!hung.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the call never ran a statement starting with " + sql);
        }
        return f;
    }

    private void hangHere(String statement) {
        if (Thread.currentThread() == thread && statement.startsWith(sql) && hung.getCount() > 0) {
            hung.countDown();
            try {
                resume.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Resumes the hung call and removes the hook. */
    @Override
    public void close() {
        resume.countDown();
        Database.afterStatement = null;
    }
}
