/**
 * What the SIP server tells an observer for its metrics: handshake failures by reason, REGISTER and
 * INVITE outcomes, REGISTER results by reason, identity mismatches, calls started, connections
 * closed at a revocation. SIP-free, and free of any metrics library: the portal plugs in its own
 * registry.
 */
package io.doorpair.sipedge.metrics;
