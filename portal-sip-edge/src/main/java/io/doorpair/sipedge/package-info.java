/**
 * The portal SIP server as a library (DESIGN §7): a mutual-TLS edge that admits only certificates
 * of the portal CA, checks every request's From against the certificate of its connection, keeps a
 * registrar of device bindings tied to their connections, and proxies: {@code user@<domain>} forks
 * to the user's devices (a GRUU to one), {@code anyone@DOMAIN} goes to that gateway's connection,
 * always over the connection the target opened, never by dialling. {@link
 * io.doorpair.sipedge.SipEdge#start} with a {@link io.doorpair.sipedge.SipEdgeConfig} returns a
 * {@link io.doorpair.sipedge.RunningSipEdge}.
 */
package io.doorpair.sipedge;
