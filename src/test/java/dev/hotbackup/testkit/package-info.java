/**
 * The route authors' kit: what a test of your own routes needs around the pack, packaged as {@code
 * dev.hotbackup:camel-hot-backup:<version>:testkit} (docs/testing-your-routes.md). A {@link
 * dev.hotbackup.testkit.TestLiveHost} speaks the real heartbeat protocol to the listener your test
 * starts; {@link dev.hotbackup.testkit.Await} waits, bounded, for your routes to start or stop and
 * for the listener to hold a host in a state; {@link dev.hotbackup.testkit.ActivityLog} reads what
 * the instance recorded; {@link dev.hotbackup.testkit.TestMailServer} receives what it mailed.
 */
package dev.hotbackup.testkit;
