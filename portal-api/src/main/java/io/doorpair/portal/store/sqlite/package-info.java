/** The SQLite backend of the portal store: the embedded default, one file, writes serialized. */
package io.doorpair.portal.store.sqlite;
