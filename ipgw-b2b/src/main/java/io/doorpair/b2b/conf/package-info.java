/**
 * The b2b's files of DESIGN §6 ({@code b2b.conf}, {@code acl.list}, the Flexisip password file) and
 * their paths under a root: parse and render, SIP-free; {@code ipgw} writes them with the same
 * code.
 */
package io.doorpair.b2b.conf;
