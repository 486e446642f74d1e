package io.doorpair.ipgw.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.conf.AclList;
import io.doorpair.b2b.conf.GatewayPaths;
import io.doorpair.crypto.PublicKeyHash;
import io.doorpair.crypto.SecurityCode;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.tls.TlsMaterial;
import io.doorpair.ipgw.Gateway;
import io.doorpair.ipgw.GatewayConfig;
import io.doorpair.ipgw.RunningGateway;
import io.doorpair.ipgw.requests.AccessDecisions;
import io.doorpair.ipgw.store.Account;
import io.doorpair.ipgw.store.StoredRequest;
import io.doorpair.ipgw.testing.AdminClient;
import io.doorpair.ipgw.testing.TestApp;
import io.doorpair.ipgw.testing.TestIpgw;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.welcome.api.RequestStatus;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin site over HTTP, as a browser without JavaScript sees it, against a real portal: each
 * page, and each attack (no session, forged CSRF, HTML in names, password guessing).
 */
class AdminSiteTest {
  private static final String PASSWORD = "password1";

  @RegisterExtension static PortalExtension portal = new PortalExtension();

  @TempDir Path dir;

  private RunningGateway gateway;
  private AdminClient admin;

  @BeforeEach
  void start() {
    gateway = TestIpgw.start(portal, dir);
    admin = new AdminClient(gateway.adminUrl());
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void every_answer_carries_the_security_headers() {
    List<HttpResponse<String>> answers =
        List.of(
            admin.get("/login"),
            admin.get("/style.css"),
            admin.get("/requests"),
            admin.post("/login", Map.of("password", "wrong", "csrf", "forged")),
            admin.get("/no-such-page"));
    for (HttpResponse<String> answer : answers) {
      assertThat(answer.headers().firstValue("Content-Security-Policy"))
          .as(answer.uri().toString())
          .contains(AdminSite.CSP);
      assertThat(answer.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      assertThat(answer.headers().firstValue("X-Frame-Options")).contains("DENY");
      assertThat(answer.headers().firstValue("Referrer-Policy")).contains("no-referrer");
      assertThat(answer.headers().firstValue("Server")).isEmpty();
    }
    assertThat(AdminSite.CSP).contains("frame-ancestors 'none'").doesNotContain("script-src");
    assertThat(admin.get("/login").body()).doesNotContain("<script").doesNotContain("style=");
  }

  @Test
  void a_request_naming_another_host_is_refused_dns_rebinding() throws Exception {
    URI uri = URI.create(gateway.adminUrl());
    for (String host : List.of("evil.example:" + uri.getPort(), uri.getHost())) {
      try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
        socket.setSoTimeout(30_000);
        String request = "GET /login HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (host.startsWith("evil")) {
          assertThat(answer).startsWith("HTTP/1.1 421 ").contains("Unknown host name");
          assertThat(answer).doesNotContain("Set-Cookie").contains("X-Frame-Options: DENY");
        } else {
          assertThat(answer).startsWith("HTTP/1.1 200 ").contains("Set-Cookie");
        }
      }
    }
  }

  @Test
  void pages_need_a_session_and_posts_need_a_login() {
    HttpResponse<String> page = admin.get("/requests");
    assertThat(page.statusCode()).isEqualTo(303);
    assertThat(AdminClient.location(page)).contains("/login");
    assertThat(admin.post("/pairing", Map.of("csrf", "x")).statusCode()).isEqualTo(403);

    admin.get("/login"); // an anonymous session with its token: still not logged in
    HttpResponse<String> approve = admin.post("/requests/1/approve", Map.of("door_calls", "on"));
    assertThat(approve.statusCode()).isEqualTo(403);
    assertThat(approve.body()).contains("Log in first");
    assertThat(admin.get("/accounts").statusCode()).isEqualTo(303);

    admin.cookie("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assertThat(admin.get("/pairing").statusCode()).isEqualTo(303);
  }

  @Test
  void login_gives_a_new_httponly_strict_cookie_and_logout_ends_it() {
    HttpResponse<String> form = admin.get("/login");
    String anonymous = admin.cookie();
    assertThat(form.headers().firstValue("Set-Cookie").orElseThrow())
        .contains("HttpOnly")
        .contains("SameSite=Strict")
        .contains("Path=/")
        .doesNotContain("Secure"); // plain HTTP on loopback: a Secure cookie would never come back
    HttpResponse<String> login = admin.post("/login", Map.of("password", TestIpgw.ADMIN_PASSWORD));
    assertThat(login.statusCode()).isEqualTo(303);
    assertThat(login.headers().firstValue("Set-Cookie").orElseThrow())
        .contains("HttpOnly")
        .contains("SameSite=Strict");
    assertThat(admin.cookie()).isNotEqualTo(anonymous).hasSize(43);
    assertThat(admin.get("/pairing").statusCode()).isEqualTo(200);

    String loggedIn = admin.cookie();
    admin.get("/pairing");
    assertThat(admin.post("/logout", Map.of()).statusCode()).isEqualTo(303);
    admin.cookie(loggedIn);
    assertThat(admin.get("/pairing").statusCode()).isEqualTo(303);
  }

  @Test
  void over_https_the_cookie_is_also_secure() throws Exception {
    TestPki pki = TestPki.create("admin test CA");
    TestPki.Leaf server = pki.issueServer("127.0.0.1");
    Path tlsDir = Files.createDirectories(dir.resolve("tls"));
    Path cert = Files.writeString(tlsDir.resolve("admin.pem"), server.certificatePem());
    Path key = Files.writeString(tlsDir.resolve("admin-key.pem"), server.privateKeyPem());
    GatewayConfig plain = TestIpgw.config(portal, dir.resolve("https-gateway"));
    GatewayConfig config =
        new GatewayConfig(
            plain.root(),
            plain.dataDir(),
            plain.portalUrl(),
            plain.portalCa(),
            plain.admin(),
            plain.adminHosts(),
            Optional.of(new GatewayConfig.AdminTls(cert, key)),
            plain.pairing(),
            plain.channelWait(),
            plain.initialBackoff(),
            plain.maxBackoff());
    AdminPassword.set(config.dataDir(), TestIpgw.ADMIN_PASSWORD.toCharArray(), new SecureRandom());
    try (RunningGateway https = Gateway.start(config)) {
      assertThat(https.adminUrl()).startsWith("https://127.0.0.1:");
      AdminClient client =
          new AdminClient(
              https.adminUrl(),
              Optional.of(
                  TlsMaterial.context(
                      Optional.empty(), TlsMaterial.trustManager(List.of(server.issuer())))));
      HttpResponse<String> form = client.get("/login");
      assertThat(form.headers().firstValue("Set-Cookie").orElseThrow())
          .contains("; Secure")
          .contains("HttpOnly")
          .contains("SameSite=Strict");
      HttpResponse<String> login =
          client.post("/login", Map.of("password", TestIpgw.ADMIN_PASSWORD));
      assertThat(login.statusCode()).isEqualTo(303);
      assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
      assertThat(client.get("/pairing").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void wrong_passwords_are_throttled_even_before_the_right_one() {
    admin.get("/login");
    for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
      HttpResponse<String> wrong = admin.post("/login", Map.of("password", "not the password"));
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).contains("Wrong password.");
    }
    HttpResponse<String> right = admin.post("/login", Map.of("password", TestIpgw.ADMIN_PASSWORD));
    assertThat(right.statusCode()).isEqualTo(429);
    assertThat(right.headers().firstValue("Retry-After")).isPresent();
    assertThat(right.body()).contains("Too many wrong passwords");
    assertThat(admin.get("/pairing").statusCode()).isEqualTo(303);
  }

  @Test
  void login_form_needs_its_csrf_token() {
    admin.get("/login");
    HttpResponse<String> forged =
        admin.post("/login", Map.of("password", TestIpgw.ADMIN_PASSWORD, "csrf", "forged"));
    assertThat(forged.statusCode()).isEqualTo(403);
    admin.cookie("");
    HttpResponse<String> noSession =
        admin.post("/login", Map.of("password", TestIpgw.ADMIN_PASSWORD));
    assertThat(noSession.statusCode()).isEqualTo(403);
  }

  @Test
  void the_owner_pairs_approves_types_the_code_and_manages_the_device() throws Exception {
    String owner = Actors.newUser(portal, "owner", PASSWORD);
    assertThat(admin.login(TestIpgw.ADMIN_PASSWORD).statusCode()).isEqualTo(303);
    HttpResponse<String> home = admin.get("/");
    assertThat(AdminClient.location(home)).contains("/pairing");
    assertThat(admin.get("/pairing").body()).contains("Not paired yet.");

    HttpResponse<String> refused =
        admin.post(
            "/pairing",
            Map.of("username", owner, "password", "wrong", "friendly_name", "Location: Loft"));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("Pairing failed").doesNotContain("wrong\"");

    HttpResponse<String> paired =
        admin.post(
            "/pairing",
            Map.of(
                "username", owner, "password", PASSWORD, "friendly_name", "Location: <b>Loft</b>"));
    assertThat(paired.statusCode()).isEqualTo(303);
    String domain = gateway.core().pairing().orElseThrow().domain();
    String page = admin.get("/pairing").body();
    assertThat(page)
        .contains("id=\"domain\">" + domain + "<")
        .contains("Location: &lt;b&gt;Loft&lt;/b&gt;")
        .doesNotContain("<b>Loft");

    TestApp app = TestApp.pair(portal, owner, PASSWORD, "<script>x()</script> & \"phone\"");
    app.client().createSipAccount(domain);
    await(() -> admin.get("/requests").body().contains("class=\"request\""));
    HttpResponse<String> requests = admin.get("/requests");
    assertThat(requests.body())
        .contains("<meta http-equiv=\"refresh\" content=\"5\">")
        .contains("&lt;script&gt;x()&lt;/script&gt; &amp; &quot;phone&quot;")
        .doesNotContain("<script>");
    StoredRequest request = gateway.core().decisions().pending().get(0);
    String keyHash = PublicKeyHash.of(app.certificate());
    assertThat(request.keyHash()).isEqualTo(keyHash);
    assertThat(requests.body()).doesNotContain(keyHash);

    String base = "/requests/" + request.requestId();
    HttpResponse<String> decide = admin.get(base);
    assertThat(decide.body()).contains("id=\"approve\"").doesNotContain(keyHash);
    // A CSRF token of another session is refused, and so is none at all.
    String token = admin.csrf();
    AdminClient other = new AdminClient(gateway.adminUrl());
    other.login(TestIpgw.ADMIN_PASSWORD);
    other.get("/requests");
    assertThat(other.post(base + "/approve", Map.of("csrf", token)).statusCode()).isEqualTo(403);
    assertThat(admin.post(base + "/approve", Map.of("csrf", "")).statusCode()).isEqualTo(403);
    assertThat(gateway.core().decisions().pending()).hasSize(1);

    admin.get(base);
    HttpResponse<String> approved =
        admin.post(base + "/approve", Map.of("door_calls", "on", "open_door", "on"));
    assertThat(approved.statusCode()).isEqualTo(303);
    assertThat(AdminClient.location(approved)).contains(base);
    assertThat(app.client().approvedAccount(domain, Optional.empty()).status())
        .isEqualTo(RequestStatus.APPROVED);
    Account account = gateway.core().decisions().accounts().get(0);
    assertThat(account.rights().cameras()).isFalse();
    assertThat(account.rights().openDoor()).isTrue();
    String codePage = admin.get(base).body();
    assertThat(codePage).contains("id=\"code\"").contains("Approved as");

    SecurityCode code = SecurityCode.generate(keyHash, new SecureRandom());
    HttpResponse<String> wrong = admin.post(base + "/code", Map.of("code", wrongCode(code)));
    assertThat(wrong.statusCode()).isEqualTo(422);
    assertThat(wrong.body()).contains("Wrong code: 4 attempts left.");
    HttpResponse<String> malformed = admin.post(base + "/code", Map.of("code", "<b>zz"));
    assertThat(malformed.statusCode()).isEqualTo(422);
    assertThat(malformed.body()).contains("Nothing was counted");
    HttpResponse<String> right =
        admin.post(base + "/code", Map.of("code", code.value().toUpperCase(java.util.Locale.ROOT)));
    assertThat(right.statusCode()).isEqualTo(303);
    assertThat(AdminClient.location(right)).contains("/accounts");
    GatewayPaths paths = GatewayPaths.under(dir.resolve("root"));
    assertThat(AclList.parse(Files.readString(paths.aclList()))).containsExactly(owner);

    String accounts = admin.get("/accounts").body();
    assertThat(accounts)
        .contains(account.sipUsername())
        .contains("class=\"state\">enabled<")
        .contains("&lt;script&gt;")
        .doesNotContain("<script>")
        .doesNotContain(account.password().reveal());
    assertThat(admin.get(base).statusCode()).isEqualTo(404);

    String sipBase = "/accounts/" + account.sipUsername();
    assertThat(admin.post(sipBase + "/rights", Map.of("cameras", "on")).statusCode())
        .isEqualTo(303);
    assertThat(gateway.core().decisions().accounts().get(0).rights().doorCalls()).isFalse();
    admin.get("/accounts");
    assertThat(admin.post(sipBase + "/disable", Map.of()).statusCode()).isEqualTo(303);
    assertThat(gateway.core().decisions().accounts().get(0).enabled()).isFalse();
    assertThat(admin.get("/accounts").body()).contains("class=\"state\">disabled<");
    assertThat(admin.post(sipBase + "/enable", Map.of()).statusCode()).isEqualTo(303);
    assertThat(gateway.core().decisions().accounts().get(0).enabled()).isTrue();
    admin.get("/accounts");
    assertThat(admin.post("/accounts/nobody-0000/remove", Map.of()).statusCode()).isEqualTo(404);
    assertThat(admin.post(sipBase + "/remove", Map.of()).statusCode()).isEqualTo(303);
    assertThat(gateway.core().decisions().accounts()).isEmpty();
    assertThat(admin.get("/accounts").body()).contains("No devices yet.");
    assertThat(admin.get("/b2b").body())
        .contains("id=\"b2b-state\" class=\"b2b-not_managed\">not managed<")
        .doesNotContain("b2b-stop");
    assertThat(admin.post("/b2b/stop", Map.of()).statusCode()).isEqualTo(303);
    assertThat(admin.get("/b2b").body()).contains("could not be switched");
  }

  @Test
  void five_wrong_codes_void_the_request_and_a_denial_leaves_it_denied() throws Exception {
    String owner = Actors.newUser(portal, "owner", PASSWORD);
    gateway.core().pair(owner, PASSWORD.toCharArray(), "Location: Loft");
    String domain = gateway.core().pairing().orElseThrow().domain();
    TestApp first = TestApp.pair(portal, owner, PASSWORD);
    TestApp second = TestApp.pair(portal, owner, PASSWORD);
    first.client().createSipAccount(domain);
    second.client().createSipAccount(domain);
    AccessDecisions decisions = gateway.core().decisions();
    await(() -> decisions.pending().size() == 2);
    admin.login(TestIpgw.ADMIN_PASSWORD);
    StoredRequest one = decisions.pending().get(0);
    StoredRequest two = decisions.pending().get(1);

    admin.get("/requests/" + two.requestId());
    assertThat(admin.post("/requests/" + two.requestId() + "/deny", Map.of()).statusCode())
        .isEqualTo(303);
    assertThat(second.client().approvedAccount(domain, Optional.empty()).status())
        .isEqualTo(RequestStatus.DENIED);

    String base = "/requests/" + one.requestId();
    admin.get(base);
    admin.post(base + "/approve", Map.of("door_calls", "on"));
    SecurityCode code = SecurityCode.generate(one.keyHash(), new SecureRandom());
    for (int i = 1; i < AccessDecisions.MAX_WRONG_CODES; i++) {
      assertThat(admin.post(base + "/code", Map.of("code", wrongCode(code))).body())
          .contains("Wrong code: " + (AccessDecisions.MAX_WRONG_CODES - i) + " attempt");
    }
    HttpResponse<String> last = admin.post(base + "/code", Map.of("code", wrongCode(code)));
    assertThat(last.statusCode()).isEqualTo(303);
    assertThat(admin.get("/requests").body()).contains("Too many wrong codes");
    HttpResponse<String> late = admin.post(base + "/code", Map.of("code", code.value()));
    assertThat(late.statusCode()).isEqualTo(404);
    assertThat(decisions.accounts()).isEmpty();
    assertThat(decisions.awaitingCode()).isEmpty();
    assertThat(decisions.pending()).isEmpty();
  }

  /** The same salt with other hash characters: well-formed, and wrong. */
  private static String wrongCode(SecurityCode right) {
    String value = right.value();
    String tail = value.substring(4);
    String other = tail.equals("0000") ? "0001" : "0000";
    return value.substring(0, 4) + other;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition before the deadline").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
