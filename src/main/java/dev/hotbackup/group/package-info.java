/**
 * Groups of up to five members (BOX's module groups): who belongs, the master role, and the
 * processing map that says which member runs whose work. Built on the arbiter: a member's work is a
 * lease, the master role is a lease, and the processing map's operator moves are kept by the
 * arbiter beside the leases.
 */
package dev.hotbackup.group;
