package io.doorpair.portal.cli;

import io.doorpair.portal.PortalConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the portal keeps its data; shared by {@code serve} and {@code user}. */
final class StoreOptions {
  @Option(
      names = "--data",
      defaultValue = "${env:PORTAL_DATA:-portal-data}",
      description = "data folder (CA, server certificate, SQLite database); env PORTAL_DATA")
  Path data;

  @Option(
      names = "--db",
      defaultValue = "${env:PORTAL_DB}",
      description =
          "JDBC URL; default jdbc:sqlite:<data>/portal.db; a jdbc:postgresql: URL uses"
              + " PostgreSQL; env PORTAL_DB")
  String db;

  @Option(
      names = "--realm",
      defaultValue = "${env:PORTAL_REALM:-" + PortalConfig.DEFAULT_REALM + "}",
      description = "HTTP digest realm (changing it means setting every password again)")
  String realm;

  String databaseUrl() {
    return db == null || db.isBlank() ? PortalConfig.sqliteUrl(data) : db;
  }
}
