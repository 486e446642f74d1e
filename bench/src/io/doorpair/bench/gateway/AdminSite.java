package io.doorpair.bench.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The ipgw admin site as the owner's browser without JavaScript uses it: the session cookie, and
 * the CSRF token of the last page sent back with every form; redirects are not followed.
 */
final class AdminSite {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final Pattern COOKIE = Pattern.compile("ipgw_session=([^;]+)");

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(30))
          .build();
  private String cookie = "";
  private String csrf = "";

  AdminSite(String base) {
    this.base = base;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  HttpResponse<String> post(String path, Map<String, String> form)
      throws IOException, InterruptedException {
    Map<String, String> fields = new LinkedHashMap<>(form);
    fields.putIfAbsent("csrf", csrf);
    String body =
        fields.entrySet().stream()
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

  /** A POST that must answer 303 (the site's answer to a form it accepted). */
  void submit(String path, Map<String, String> form) throws IOException, InterruptedException {
    HttpResponse<String> answer = post(path, form);
    if (answer.statusCode() != 303) {
      throw new IllegalStateException(
          "POST " + path + " answered " + answer.statusCode() + ": " + answer.body());
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    if (!cookie.isEmpty()) {
      request.header("Cookie", "ipgw_session=" + cookie);
    }
    request.timeout(Duration.ofSeconds(60));
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    for (String set : response.headers().allValues("Set-Cookie")) {
      Matcher m = COOKIE.matcher(set);
      if (m.find()) {
        cookie = m.group(1);
      }
    }
    Matcher m = CSRF.matcher(response.body());
    if (m.find()) {
      csrf = m.group(1);
    }
    return response;
  }
}
