package dev.hotbackup.routes;

/** The endpoints the pack's routes and its Java hand messages to each other on. */
public final class Endpoints {

    /** The reconfirm route's input: a silent host to probe. */
    public static final String RECONFIRM = "direct:hotbackup-reconfirm";

    /** The signal router's input: ordered, in memory, blocks when full instead of dropping. */
    public static final String SIGNALS = "seda:hotbackup-signals?size=100000&blockWhenFull=true";

    /** The mail route's queue; drained into the dead-letter file when the instance stops. */
    public static final String MAIL_QUEUE = "seda://hotbackup-mail";

    private Endpoints() {}
}
