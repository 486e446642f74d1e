/**
 * Redis for several SIP nodes (DESIGN §10): shared bindings whose expiry Redis keeps, and the only
 * package that sees the Redis client.
 */
package io.doorpair.sipedge.redis;
