package dev.hotbackup.monitor;

import dev.hotbackup.probe.ProbeResult;
import java.util.function.Consumer;

/** Sends one reconfirm probe; {@code done} gets its result exactly once. */
public interface Prober {
    void probe(String address, int port, String host, String config, Consumer<ProbeResult> done);
}
