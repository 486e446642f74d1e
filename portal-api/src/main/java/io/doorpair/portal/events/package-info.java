/**
 * Gateway events (specification steps 13 and 14): batches posted by gateways with ids of their own,
 * stored once and in order per gateway, and read by the apps that may see the gateway, from an
 * opaque cursor.
 */
package io.doorpair.portal.events;
