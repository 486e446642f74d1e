package io.doorpair.sipedge.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a management listener over plain HTTP: {@code /metrics} in the Prometheus text format
 * (parsed just enough to read one sample), {@code /health}.
 */
public final class Scrape {
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)(?: \\d+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\",?");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  /** An answer: status, content type, body. */
  public record Answer(int status, String contentType, String body) {}

  private Scrape() {}

  /** {@code GET http://HOSTPORT/PATH}. */
  public static Answer get(String hostPort, String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://" + hostPort + path))
                  .timeout(Duration.ofSeconds(60))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The value of the sample {@code name} with exactly {@code labels} in the text {@code metrics},
   * or NaN when there is none.
   */
  public static double value(String metrics, String name, Map<String, String> labels) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      Matcher sample = SAMPLE.matcher(line.trim());
      if (!sample.matches() || !sample.group(1).equals(name)) {
        continue;
      }
      Map<String, String> found = new TreeMap<>();
      if (sample.group(2) != null) {
        Matcher label = LABEL.matcher(sample.group(2));
        while (label.find()) {
          found.put(label.group(1), label.group(2));
        }
      }
      if (found.equals(new TreeMap<>(labels))) {
        return Double.parseDouble(sample.group(3));
      }
    }
    return Double.NaN;
  }

  /** {@link #value} of a fresh scrape of {@code hostPort}. */
  public static double value(String hostPort, String name, String... labels) {
    Map<String, String> wanted = new TreeMap<>();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    return value(get(hostPort, "/metrics").body(), name, wanted);
  }
}
