/**
 * The only package of {@code ipgw-b2b} importing jain-sip ({@code javax.sip}, {@code gov.nist}):
 * the gateway's one SIP stack on the blocking (OIO) transports, its TLS network layer towards the
 * portal, and the portal registration.
 */
package io.doorpair.b2b.stack;
