/**
 * The embedded internal SIP server's SIP-free parts (the "internal flexisip" of the specification,
 * for door stations on the LAN when no Flexisip is installed): digest authentication against the
 * Flexisip password file ({@link io.doorpair.b2b.localsip.DigestGate}) and the registrations it
 * keeps ({@link io.doorpair.b2b.localsip.Registrations}). The jain-sip side is in {@code
 * io.doorpair.b2b.stack}.
 */
package io.doorpair.b2b.localsip;
