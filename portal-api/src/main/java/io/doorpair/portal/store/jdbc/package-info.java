/**
 * The SQL implementation of the portal store shared by its backends, the versioned migrations, and
 * {@link io.doorpair.portal.store.jdbc.JdbcStores}, the factory that picks a backend from a JDBC
 * URL.
 */
package io.doorpair.portal.store.jdbc;
