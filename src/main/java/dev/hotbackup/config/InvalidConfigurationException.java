package dev.hotbackup.config;

import java.util.List;

/**
 * The configuration cannot work: one line per problem, each naming the key, the value and what to
 * write instead. {@code HotBackupMain} prints the lines, without a stack trace, and exits with
 * {@link #EXIT_CODE}.
 */
public final class InvalidConfigurationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The exit code of a start refused for its configuration. */
    public static final int EXIT_CODE = 2;

    private final List<String> problems;

    public InvalidConfigurationException(List<String> problems) {
        super("Invalid hot backup configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public InvalidConfigurationException(String problem) {
        this(List.of(problem));
    }

    public InvalidConfigurationException(String problem, Throwable cause) {
        this(List.of(problem));
        initCause(cause);
    }

    /** One line per problem: {@code key: what is wrong, and the fix}. */
    public List<String> problems() {
        return problems;
    }

    /** The first exception of this type in {@code t}'s chain of causes, or {@code null}. */
    public static InvalidConfigurationException in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof InvalidConfigurationException ice) {
                return ice;
            }
        }
        return null;
    }
}
