package dev.hotbackup.signal;

import java.time.Instant;

/**
 * One state change of one monitored (host, config), as handed to the signal router.
 *
 * @param host the monitored host's announced name
 * @param config the monitored host's announced configuration name
 * @param state the new state
 * @param time when the listener decided it (wall clock, for people)
 * @param detail why, in a few words (for logs and mail)
 */
public record Signal(String host, String config, SignalState state, Instant time, String detail) {}
