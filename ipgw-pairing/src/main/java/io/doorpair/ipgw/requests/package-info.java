/**
 * Access requests (specification steps 6 to 11): followed from the portal's push channel, checked
 * against the portal CA, approved with rights or denied by the owner, enabled by the right security
 * code; and the later life of the accounts (rights, disable, remove).
 */
package io.doorpair.ipgw.requests;
