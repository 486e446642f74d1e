/**
 * The gateway's files of DESIGN §6 (CA certificate, agent key and certificate, b2b.conf, acl.list,
 * the Flexisip password file): their formats, their paths under a root, and atomic writing.
 */
package io.doorpair.ipgw.files;
