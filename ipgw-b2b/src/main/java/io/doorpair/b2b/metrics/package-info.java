/**
 * What the b2b tells an observer for its metrics (calls by direction and outcome, door-open
 * commands, reloads); free of any metrics library: {@code io.doorpair.b2b.ops} plugs in its
 * registry.
 */
package io.doorpair.b2b.metrics;
