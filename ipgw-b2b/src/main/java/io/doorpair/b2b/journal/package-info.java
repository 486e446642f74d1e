/**
 * The b2b's call journal (DESIGN §8, issue 6): what happened to each door call, handed to the
 * {@code ipgw} agent, whose outbox sends it to the portal. SIP-free.
 */
package io.doorpair.b2b.journal;
