/** The PostgreSQL backend of the portal store: pooled connections, shared by several portals. */
package io.doorpair.portal.store.postgres;
