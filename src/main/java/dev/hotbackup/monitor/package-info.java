/**
 * The monitor: one state per monitored (host, config), and the decisions LIVE, DEAD and CLOSE.
 *
 * <p>DEAD is decided in {@link dev.hotbackup.monitor.MonitorRegistry#probeResult}: only for a
 * monitor that is LIVE, silent for the threshold, and whose reconfirm probe got no valid answer.
 */
package dev.hotbackup.monitor;
