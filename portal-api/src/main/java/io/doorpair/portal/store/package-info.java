/**
 * The portal's storage: users (digest HA1 only), gateways, issued certificates and revocations, and
 * the access flow's guests, access requests, push channels and events, behind one interface with an
 * SQLite and a PostgreSQL implementation.
 */
package io.doorpair.portal.store;
