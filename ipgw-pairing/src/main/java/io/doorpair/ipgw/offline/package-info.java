/**
 * Offline account creation by QR code (DESIGN §9, issue 8): the owner creates a pending account on
 * the admin site, the phone scans its QR code and shows a confirmation code, the owner types that
 * code and only then is the account active (password file, {@code acl.list} when external access
 * was allowed, events queued in the outbox for the portal).
 */
package io.doorpair.ipgw.offline;
