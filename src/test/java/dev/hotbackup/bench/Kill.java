package dev.hotbackup.bench;

/** How the live process goes away in a failover trial. */
enum Kill {
    /** SIGKILL: the process dies, the host stays up. */
    SIGKILL("process killed (SIGKILL)"),
    /** SIGSTOP: the process hangs; only silence and the probe tell. */
    SIGSTOP("process hung (SIGSTOP)"),
    /** SIGTERM: a graceful stop (CLOSE). */
    SIGTERM("graceful stop (SIGTERM)");

    final String label;

    Kill(String label) {
        this.label = label;
    }
}
