/**
 * Revocation (DESIGN §7): the portal CA's current CRL, consulted in the TLS handshake and again on
 * every request (a resumed TLS session skips the trust manager). SIP-free.
 */
package io.doorpair.sipedge.revocation;
