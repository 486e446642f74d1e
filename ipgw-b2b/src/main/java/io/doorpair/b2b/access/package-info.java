/**
 * Who may do what through the b2b (DESIGN §7), SIP-free: who a door call rings ({@link
 * io.doorpair.b2b.access.AccessPolicy#doorCallTargets()}), whether a request arriving from an app
 * through the portal passes (digest against that device's own account, its rights), one immutable
 * snapshot of {@code acl.list}, the password file and {@code accounts.list} at a time ({@link
 * io.doorpair.b2b.access.AccessHolder}, swapped whole on SIGHUP). Also the SDP filter that keeps
 * the RFC 4733 telephone-event away from the door for devices without the open-door right.
 */
package io.doorpair.b2b.access;
