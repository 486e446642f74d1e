/**
 * The Welcome app's SIP user agent on jain-sip-ri: registers the device at the portal SIP server
 * over TLS (its certificate, the bound {@code +sip.instance}, GRUU), keeps the registration, takes
 * calls over that one connection, calls a gateway's door station answering the b2b's digest
 * challenge, and sends the door-open command. The only package of this module importing {@code
 * javax.sip} and {@code gov.nist}; start with {@link io.doorpair.welcome.sip.SipPhone}.
 */
package io.doorpair.welcome.sip;
