package io.doorpair.bench;

import io.doorpair.crypto.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The access-flow benchmark (bench/access.sh drives it; see bench/README.md). Modes:
 *
 * <ul>
 *   <li>{@code seed <caDir> <stateFile> <gateways> <appsPerGateway> <jdbcUrl>...}: the CA, the
 *       certificates and the store records, before any portal runs ({@link AccessSeeder});
 *   <li>{@code latency <key> <appApi> <gatewayApi> <ca.pem> <stateFile> <gatewayIndex> <count>
 *       <maxSeconds>}: create_sip_account to channel receipt ({@link ChannelLatency});
 *   <li>{@code events <key> <api> <ca.pem> <stateFile> <seconds>}: ingest and fetch rates ({@link
 *       EventThroughput});
 *   <li>{@code pg-schema create|drop <jdbcUrl> <schema>}: a fresh PostgreSQL schema for a run;
 *   <li>{@code report <resultsFile> <seconds>}: the markdown table.
 * </ul>
 *
 * The measuring modes print {@code key=value} lines for the report.
 */
public final class AccessBench {
  /** The target of the issue: p99 of create_sip_account to channel receipt on loopback. */
  static final double TARGET_P99_MS = 50;

  private AccessBench() {}

  public static void main(String[] args) throws Exception {
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "seed" ->
          AccessSeeder.seed(
              Path.of(rest[0]),
              Path.of(rest[1]),
              Integer.parseInt(rest[2]),
              Integer.parseInt(rest[3]),
              Arrays.asList(rest).subList(4, rest.length));
      case "latency" ->
          ChannelLatency.run(
              rest[0],
              rest[1],
              rest[2],
              ca(rest[3]),
              AccessDataSet.read(Path.of(rest[4])),
              Integer.parseInt(rest[5]),
              Integer.parseInt(rest[6]),
              Integer.parseInt(rest[7]));
      case "events" ->
          EventThroughput.run(
              rest[0], rest[1], ca(rest[2]), AccessDataSet.read(Path.of(rest[3])),
              Integer.parseInt(rest[4]));
      case "pg-schema" -> pgSchema(rest[0], rest[1], rest[2]);
      case "report" -> report(Results.read(Path.of(rest[0])), Integer.parseInt(rest[1]));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
    System.exit(0); // client dispatchers and pools hold no non-daemon work worth waiting for
  }

  private static void pgSchema(String action, String url, String schema) throws Exception {
    if (!schema.matches("bench_[a-z0-9_]{1,40}")) {
      throw new IllegalArgumentException("schema must be bench_[a-z0-9_]+: " + schema);
    }
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute(
          action.equals("create")
              ? "CREATE SCHEMA " + schema
              : "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private static X509Certificate ca(String file) throws Exception {
    return Pem.parseCertificate(Files.readString(Path.of(file)));
  }

  private static void report(Map<String, String> r, int seconds) {
    System.out.println(
        "| store, portal processes | create→channel p50 ms | p99 ms | target p99 < "
            + (int) TARGET_P99_MS
            + " ms | create call p50 ms | ingest events/s | fetch events/s | events/page"
            + " | failures |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    row(r, "sqlite", "SQLite, 1 process (reference)");
    row(r, "pg1", "PostgreSQL, 1 process");
    row(r, "pg2", "PostgreSQL, 2 processes (app → 1, gateway → 2)");
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Data set: %s gateways, %s app devices (%s per owner), %s CA-issued certificates (RSA-3072"
            + " CA, %d client RSA-2048 keys reused), seeded in the bench JVM through"
            + " CaKeyFiles.loadOrCreate + CertificateAuthority.issueClient + JdbcStores.open"
            + " (no HTTPS pairing): signing %s s on 2 threads, SQLite records %s s, PostgreSQL"
            + " records %s s.%n",
        r.getOrDefault("seed.gateways", "?"),
        r.getOrDefault("seed.apps", "?"),
        perOwner(r),
        r.getOrDefault("seed.certificates", "?"),
        AccessSeeder.CLIENT_KEYS,
        oneDecimal(r.get("seed.sign_s")),
        oneDecimal(r.get("seed.store_sqlite_s")),
        oneDecimal(r.get("seed.store_postgresql_s")));
    System.out.printf(
        Locale.ROOT,
        "Latency: %s / %s / %s sequential requests in the three rows (each after 30 warm-up"
            + " ones, at most 120 s), one app device, the gateway long-polling its channel (wait"
            + " 30 s) and denying each request.%n",
        r.getOrDefault("sqlite.requests", "0"),
        r.getOrDefault("pg1.requests", "0"),
        r.getOrDefault("pg2.requests", "0"));
    System.out.printf(
        Locale.ROOT,
        "Ingest: %d client threads, batches of %d journal events, each batch as the next gateway"
            + " (all gateways, one mutual-TLS connection each), %d s. Fetch: %d threads, %s app"
            + " devices of different owners, each reading all its events from the cursor start"
            + " with limit %d, again and again, %d s. Opening the gateways' connections (one"
            + " single-event post each, untimed) took %s s on SQLite, %s s on PostgreSQL.%n",
        EventThroughput.INGEST_THREADS,
        EventThroughput.BATCH,
        seconds,
        EventThroughput.FETCH_THREADS,
        r.getOrDefault("pg1.fetch_clients", r.getOrDefault("sqlite.fetch_clients", "?")),
        EventThroughput.FETCH_LIMIT,
        seconds,
        oneDecimal(r.get("sqlite.ingest_warmup_s")),
        oneDecimal(r.get("pg1.ingest_warmup_s")));
  }

  private static String perOwner(Map<String, String> r) {
    try {
      return Long.toString(
          Long.parseLong(r.get("seed.apps")) / Long.parseLong(r.get("seed.gateways")));
    } catch (RuntimeException e) {
      return "?";
    }
  }

  private static void row(Map<String, String> r, String key, String label) {
    List<String> cells = new ArrayList<>();
    cells.add(label);
    String p99 = r.get(key + ".p99_ms");
    cells.add(oneDecimal(r.get(key + ".p50_ms")));
    cells.add(oneDecimal(p99));
    cells.add(verdict(p99));
    cells.add(oneDecimal(r.get(key + ".create_p50_ms")));
    cells.add(whole(r.get(key + ".ingest_events_per_s")));
    cells.add(whole(r.get(key + ".fetch_events_per_s")));
    cells.add(eventsPerPage(r, key));
    cells.add(failures(r, key));
    System.out.println("| " + String.join(" | ", cells) + " |");
  }

  private static String verdict(String p99) {
    if (p99 == null) {
      return "not measured";
    }
    double value = Double.parseDouble(p99);
    return value < TARGET_P99_MS ? "met" : "MISSED";
  }

  private static String eventsPerPage(Map<String, String> r, String key) {
    String events = r.get(key + ".fetch_events_per_s");
    String pages = r.get(key + ".fetch_pages_per_s");
    if (events == null || pages == null || Double.parseDouble(pages) == 0) {
      return "—";
    }
    return whole(Double.toString(Double.parseDouble(events) / Double.parseDouble(pages)));
  }

  private static String failures(Map<String, String> r, String key) {
    long total = 0;
    boolean any = false;
    for (String part : List.of("ingest_failures", "fetch_failures")) {
      String value = r.get(key + "." + part);
      if (value != null) {
        total += Long.parseLong(value);
        any = true;
      }
    }
    if (r.get(key + ".requests") != null) {
      any = true;
    }
    return any ? Long.toString(total) : "—";
  }

  private static String oneDecimal(String value) {
    return value == null ? "—" : String.format(Locale.ROOT, "%.1f", Double.parseDouble(value));
  }

  private static String whole(String value) {
    return value == null ? "—" : String.format(Locale.ROOT, "%.0f", Double.parseDouble(value));
  }
}
