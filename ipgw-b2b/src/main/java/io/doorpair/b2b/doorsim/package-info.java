/**
 * A simulated door station for people trying the gateway ({@code bin/door-sim}): raw SIP over UDP
 * on the internal SIP server with the account {@code ipgw door add} made; it rings {@code
 * ipgw@DOMAIN}, answers calls, and shows the door-open command. A LAN device of its own: it knows
 * nothing of the b2b's code, only SIP.
 */
package io.doorpair.b2b.doorsim;
