package dev.hotbackup.arbiter;

/**
 * The arbiter cannot work with the configuration given (wrong credentials, no driver, a bad connect
 * string, a lock file that cannot be written): the start is refused, naming the key. An arbiter
 * that merely cannot be reached is not this, but a state the instance waits out.
 */
public final class ArbiterSetupException extends Exception {

    private final String key;

    public ArbiterSetupException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The configuration key to fix. */
    public String key() {
        return key;
    }
}
