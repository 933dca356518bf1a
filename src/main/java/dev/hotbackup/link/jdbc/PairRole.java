package dev.hotbackup.link.jdbc;

import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this instance is in a pair whose roles come from the heartbeat table ({@code
 * hotbackup.role=auto}): registered at start as the primary or the standby, then the primary while
 * it runs the pair's routes under the pair's one lease ({@link #leaseKey()}), the standby
 * otherwise. The role is written into this instance's row with every heartbeat, so the other
 * instance and a third one that starts read it there.
 */
public final class PairRole {

    private static final Logger LOG = LoggerFactory.getLogger(PairRole.class);

    /** The two roles, as written in the table's {@code role} column. */
    public enum Role {
        PRIMARY,
        STANDBY
    }

    private final String config;
    private final Role registeredAs;
    private volatile Role role;
    private volatile BiConsumer<Role, String> changes = (r, why) -> {};

    public PairRole(String config, Role registeredAs) {
        this.config = config;
        this.registeredAs = registeredAs;
        this.role = registeredAs;
    }

    /** The lease both instances of the pair run its routes under: {@code pair/<config>}. */
    public String leaseKey() {
        return leaseKey(config);
    }

    /** The pair lease of {@code config}. */
    public static String leaseKey(String config) {
        return "pair/" + config;
    }

    public Role current() {
        return role;
    }

    public Role registeredAs() {
        return registeredAs;
    }

    /** Where role changes go (the activity log), with why. */
    public void onChange(BiConsumer<Role, String> changes) {
        this.changes = changes;
    }

    /** This instance runs the pair's routes now. */
    public void primary(String why) {
        become(Role.PRIMARY, why);
    }

    /** This instance no longer runs the pair's routes. */
    public void standby(String why) {
        become(Role.STANDBY, why);
    }

    private void become(Role next, String why) {
        Role before;
        synchronized (this) {
            before = role;
            role = next;
        }
        if (before != next) {
            LOG.info("Now the {} of pair {}: {}", next.name().toLowerCase(), config, why);
            changes.accept(next, why);
        }
    }

    @Override
    public String toString() {
        return role.name().toLowerCase() + " of pair " + config;
    }
}
