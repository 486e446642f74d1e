/**
 * Writing the gateway's files of DESIGN §6 atomically (CA certificate, agent key and certificate,
 * and, with the codecs of {@code io.doorpair.b2b.conf}, b2b.conf, acl.list and the password file).
 */
package io.doorpair.ipgw.files;
