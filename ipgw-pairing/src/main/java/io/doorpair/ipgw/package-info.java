/**
 * The gateway agent assembled: {@link io.doorpair.ipgw.GatewayCore} wires the store, the files,
 * pairing, the channel follower, the decisions and the outbox sender for the admin site and {@code
 * bin/ipgw}.
 */
package io.doorpair.ipgw;
