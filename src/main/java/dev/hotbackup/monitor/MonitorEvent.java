package dev.hotbackup.monitor;

import java.time.Instant;

/**
 * One transition of a monitored host, as its listeners see it (the signal publisher, the journal,
 * the verifier). Raised while the host's lock is held, so the events of one host arrive in order.
 *
 * @param saved the host as the journal saves it, after the transition
 */
public record MonitorEvent(
        MonitorKey key,
        MonitorState from,
        MonitorState to,
        String detail,
        Instant time,
        MonitorStore.Saved saved) {}
