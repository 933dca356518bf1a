package dev.hotbackup.group;

/** How the members of a group share its work. */
public enum GroupMode {
    /** One member, the master, runs the group's routes; the others stand by. */
    ACTIVE_STANDBY,
    /**
     * Every member runs its own work; a dead member's work is taken over by one survivor, and one
     * member also holds the master role for the routes that must run once.
     */
    ACTIVE_ACTIVE,
    /** Each member runs its own work, shown in the group view: no master, no takeover. */
    STANDALONE
}
