/**
 * Per-app SIP accounts as the files see them: the store's accounts rendered into the password file
 * and {@code acl.list}, and the hook that tells the running b2b to reload.
 */
package io.doorpair.ipgw.accounts;
