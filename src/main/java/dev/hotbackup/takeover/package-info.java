/**
 * Route control on signals: which takeover routes a signal starts or stops, and what came of each
 * action. The actions themselves go through Camel's controlbus in the {@code signal-router} route.
 */
package dev.hotbackup.takeover;
