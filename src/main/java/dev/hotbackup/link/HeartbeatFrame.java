package dev.hotbackup.link;

/**
 * One heartbeat as the live host states it.
 *
 * @param host the name the live host announces ({@code hotbackup.host})
 * @param config the configuration name it announces ({@code hotbackup.config})
 * @param state LIVE, or CLOSE when it is stopping normally
 * @param boot identifies one run of the live host; grows from one run to the next
 * @param seq grows by one with every frame of a run, starting at 1
 * @param probePort where the live host answers the reconfirm probe; 0 when it does not
 */
public record HeartbeatFrame(
        String host, String config, FrameState state, long boot, long seq, int probePort) {}
