/**
 * The jain-sip-ri adapter: the only package importing {@code javax.sip} and {@code gov.nist}. It
 * holds the stack properties ({@link io.doorpair.sipedge.stack.StackSettings}), the TLS listening
 * point, per-request peer certificate access, the router and message processors that keep every
 * message on the connections clients opened, and the listener and proxy that turn SIP messages into
 * the plain values of {@code admission}, {@code registrar} and {@code proxy} and carry out their
 * decisions.
 */
package io.doorpair.sipedge.stack;
