package dev.hotbackup.monitor;

/** Told of every transition of every monitored host, in order per host. */
public interface MonitorListener {

    /** Called with the host's lock held: keep it short and never block on another host. */
    void changed(MonitorEvent event);
}
