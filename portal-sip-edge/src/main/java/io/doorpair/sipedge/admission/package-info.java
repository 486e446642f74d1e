/**
 * Who may send this request (DESIGN §7): the From address of every request compared with the
 * certificate of the TLS connection it arrived on; what makes a certificate another SIP node's
 * (DESIGN §10). SIP-free: the stack adapter hands in plain values.
 */
package io.doorpair.sipedge.admission;
