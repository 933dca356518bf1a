package dev.hotbackup.signal;

/** The three states a Backup listener signals about a monitored host. */
public enum SignalState {
    /** The monitored host began or resumed heartbeating: its own routes run there again. */
    LIVE,
    /** The monitored host was silent for the threshold and did not answer the probe. */
    DEAD,
    /** The monitored host said it is stopping normally; silence after this is not DEAD. */
    CLOSE
}
