package dev.hotbackup.support;

/** What went wrong, in one line for people. */
public final class Causes {

    private Causes() {}

    /** The message of the innermost cause, or its class name when it has none. */
    public static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
