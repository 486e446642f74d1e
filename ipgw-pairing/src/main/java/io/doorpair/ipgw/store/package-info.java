/**
 * The gateway's own state in an embedded SQLite file that survives power loss: pairing, access
 * requests, accounts and their rights, security-code attempts, the event outbox.
 */
package io.doorpair.ipgw.store;
