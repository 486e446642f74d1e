package io.doorpair.ipgw.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * A plain HTTP client of the admin site, as a browser without JavaScript: keeps the session cookie,
 * never follows redirects (tests look at them), reads the CSRF token of the last page.
 */
public final class AdminClient {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final Pattern COOKIE = Pattern.compile("ipgw_session=([^;]*)");

  private final HttpClient http;
  private final String base;
  private String cookie = "";
  private String lastCsrf = "";

  public AdminClient(String base) {
    this(base, Optional.empty());
  }

  /** A client of an HTTPS site trusting {@code tls}'s anchors. */
  public AdminClient(String base, Optional<SSLContext> tls) {
    this.base = base;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10));
    tls.ifPresent(builder::sslContext);
    this.http = builder.build();
  }

  public String cookie() {
    return cookie;
  }

  public void cookie(String value) {
    cookie = value;
  }

  /** The CSRF token of the last page that had one. */
  public String csrf() {
    return lastCsrf;
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  /** Posts a form; adds the last page's CSRF token unless the form holds one. */
  public HttpResponse<String> post(String path, Map<String, String> form) {
    Map<String, String> fields = new LinkedHashMap<>(form);
    fields.putIfAbsent("csrf", lastCsrf);
    String body =
        fields.entrySet().stream()
            .filter(e -> e.getValue() != null)
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Opens the login form and logs in; fails unless it was redirected. */
  public HttpResponse<String> login(String password) {
    get("/login");
    return post("/login", Map.of("password", password));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    if (!cookie.isEmpty()) {
      request.header("Cookie", "ipgw_session=" + cookie);
    }
    request.timeout(Duration.ofSeconds(60));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    for (String set : response.headers().allValues("Set-Cookie")) {
      Matcher m = COOKIE.matcher(set);
      if (m.find()) {
        cookie = m.group(1);
      }
    }
    Matcher m = CSRF.matcher(response.body());
    if (m.find()) {
      lastCsrf = m.group(1);
    }
    return response;
  }

  /** Fetches {@code path} as bytes (an image) with the session cookie. */
  public HttpResponse<byte[]> getBytes(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (!cookie.isEmpty()) {
      request.header("Cookie", "ipgw_session=" + cookie);
    }
    request.timeout(Duration.ofSeconds(60));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The Location of a redirect. */
  public static Optional<String> location(HttpResponse<String> response) {
    return response.headers().firstValue("Location");
  }
}
