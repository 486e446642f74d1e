/**
 * The jain-sip-ri adapter: the only package importing {@code javax.sip} and {@code gov.nist}. It
 * holds the stack properties ({@link io.doorpair.sipedge.stack.StackSettings}), the TLS listening
 * point, per-request peer certificate access and the listener that turns SIP messages into the
 * plain values of {@code admission} and {@code registrar}.
 */
package io.doorpair.sipedge.stack;
