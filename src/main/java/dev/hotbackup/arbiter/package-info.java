/**
 * Never two actives: leases held in an arbiter (a shared database, a ZooKeeper ensemble or a lock
 * file), their epochs (the fencing tokens), self-fencing on the local monotonic clock, the gateway
 * check, and the routes that run only under a lease. The backends live in one sub-package each.
 */
package dev.hotbackup.arbiter;
