package io.doorpair.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.conf.AclList;
import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.conf.PasswdFile;
import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.PublicKeyHash;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.crypto.SecurityCode;
import io.doorpair.crypto.SipPasswordCipher;
import io.doorpair.e2e.harness.ActorProcess;
import io.doorpair.e2e.harness.AdminSession;
import io.doorpair.e2e.harness.ReadyFile;
import io.doorpair.e2e.harness.Repo;
import io.doorpair.welcome.api.AccessStatus;
import io.doorpair.welcome.api.CertificateResponse;
import io.doorpair.welcome.api.RequestStatus;
import io.doorpair.welcome.http.PortalClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The gateway agent in the flow, every actor a process: {@code bin/portal serve}, {@code bin/ipgw
 * serve} (its admin password read from the file its first start names), the owner on ipgw's admin
 * site over HTTP with a session and CSRF tokens as a browser without JavaScript: pairs the gateway,
 * sees the app's request, approves, types a wrong then the right security code; the app
 * (welcome-client's {@code PortalClient}) decrypts its password, which is then in the gateway's
 * password file with the user in {@code acl.list}; the owner removes the device and the portal no
 * longer gives the app its password.
 */
class GatewayAgentIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final String PASSWORD = "alice's long password";
  private static final Pattern ADMIN_PASSWORD =
      Pattern.compile("admin password generated: read it in (\\S+) \\(mode 0600");

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }

  private static String find(Pattern p, String text) {
    Matcher m = p.matcher(text);
    assertThat(m.find()).as("%s in %s", p, text).isTrue();
    return m.group(1);
  }

  @Test
  void the_owner_pairs_ipgw_and_enables_an_app_on_its_admin_site(TestInfo info) throws Exception {
    Path work =
        Repo.workDir(getClass().getSimpleName(), info.getTestMethod().orElseThrow().getName());
    Path data = work.resolve("portal/data");
    try (ActorProcess portal = ActorProcess.portal(work.resolve("portal"), data)) {
      ReadyFile ready = portal.awaitReady(data.resolve("ready.json"), START);
      ActorProcess.addPortalUser(work, data, "alice", PASSWORD);
      Path gw = work.resolve("ipgw");
      Path root = gw.resolve("root");
      Path gwData = gw.resolve("data");
      try (ActorProcess ipgw =
          ActorProcess.start(
              "ipgw",
              gw,
              Map.of(),
              "ipgw",
              "serve",
              "--root=" + root,
              "--data=" + gwData,
              "--portal=" + ready.api(),
              "--portal-ca=" + data.resolve("ca.pem"),
              "--admin=127.0.0.1:0",
              "--key-bits=2048",
              "--no-b2b")) {
        try {
          String site =
              ipgw.awaitReady(gwData.resolve("ready.json"), START).json().get("admin").asText();
          String adminPassword =
              Files.readString(
                      Path.of(find(ADMIN_PASSWORD, Files.readString(gw.resolve("ipgw.log")))))
                  .strip();

          // The owner logs in and pairs the gateway with their portal credentials.
          AdminSession owner = new AdminSession(site);
          owner.get("/login");
          assertThat(owner.post("/login", Map.of("password", adminPassword)).statusCode())
              .isEqualTo(303);
          owner.get("/pairing");
          HttpResponse<String> paired =
              owner.post(
                  "/pairing",
                  Map.of(
                      "username", "alice",
                      "password", PASSWORD,
                      "friendly_name", "Location: Loft"));
          assertThat(paired.statusCode()).as(paired.body()).isEqualTo(303);
          String domain =
              find(Pattern.compile("id=\"domain\">([a-z0-9]{12})<"), owner.get("/pairing").body());
          assertThat(root.resolve("etc/b2b/b2b.conf")).exists();

          // The app pairs with the portal and asks the gateway for an account.
          X509Certificate ca = Pem.parseCertificate(Files.readString(data.resolve("ca.pem")));
          PortalClient firstContact =
              PortalClient.builder(ready.api()).trustAnchors(List.of(ca)).build();
          KeyPair appKeys = RsaKeys.generate(2048);
          CertificateResponse app =
              firstContact.pair(
                  "alice",
                  PASSWORD.toCharArray(),
                  CertificateRequest.create(
                          appKeys, "alice@portal.localhost", Optional.of(UUID.randomUUID()))
                      .pem(),
                  "Alice's phone");
          X509Certificate appCert = Pem.parseCertificate(app.certificate());
          PortalClient appClient =
              firstContact.withIdentity(appKeys.getPrivate(), List.of(appCert), ca);
          assertThat(appClient.createSipAccount(domain).status()).isEqualTo(RequestStatus.PENDING);

          // The request reaches the admin site through the portal's channel.
          await(
              () -> owner.get("/requests").body().contains("class=\"request\""),
              "the request on the admin site");
          String requests = owner.get("/requests").body();
          assertThat(requests)
              .contains("Alice&#39;s phone")
              .doesNotContain(PublicKeyHash.of(appCert));
          String id = find(Pattern.compile("href=\"/requests/([0-9]+)\""), requests);

          owner.get("/requests/" + id);
          assertThat(
                  owner
                      .post(
                          "/requests/" + id + "/approve",
                          Map.of("door_calls", "on", "open_door", "on"))
                      .statusCode())
              .isEqualTo(303);

          // The app gets its account and decrypts its password.
          AccessStatus approved = appClient.approvedAccount(domain, Optional.empty());
          assertThat(approved.status()).isEqualTo(RequestStatus.APPROVED);
          String sipPassword =
              SipPasswordCipher.decrypt(approved.encryptedPassword(), appKeys.getPrivate())
                  .reveal();

          // The app shows its security code; the owner types a wrong one, then the right one.
          SecurityCode code = SecurityCode.generate(PublicKeyHash.of(appCert), new SecureRandom());
          String wrong =
              code.value().substring(0, 4) + (code.value().endsWith("0000") ? "0001" : "0000");
          owner.get("/requests/" + id);
          HttpResponse<String> refused =
              owner.post("/requests/" + id + "/code", Map.of("code", wrong));
          assertThat(refused.body()).contains("Wrong code: 4 attempts left.");
          assertThat(Files.readString(root.resolve("etc/b2b/acl.list"))).doesNotContain("alice");
          HttpResponse<String> enabled =
              owner.post("/requests/" + id + "/code", Map.of("code", code.value()));
          assertThat(enabled.statusCode()).isEqualTo(303);

          // The account is enabled: in the password file with the app's password, in acl.list.
          List<PasswdEntry> passwd =
              PasswdFile.parse(Files.readString(root.resolve("etc/flexisip/passwd")));
          PasswdEntry entry =
              passwd.stream()
                  .filter(e -> e.user().equals(approved.sipUsername()))
                  .findFirst()
                  .orElseThrow();
          assertThat(entry.domain()).isEqualTo(domain);
          assertThat(entry.password().reveal()).isEqualTo(sipPassword);
          assertThat(AclList.parse(Files.readString(root.resolve("etc/b2b/acl.list"))))
              .containsExactly("alice");
          assertThat(owner.get("/accounts").body()).contains("class=\"state\">enabled<");

          // The owner removes the device: out of the files, and void at the portal.
          owner.get("/accounts");
          assertThat(
                  owner
                      .post("/accounts/" + approved.sipUsername() + "/remove", Map.of())
                      .statusCode())
              .isEqualTo(303);
          assertThat(AclList.parse(Files.readString(root.resolve("etc/b2b/acl.list")))).isEmpty();
          await(
              () ->
                  appClient.approvedAccount(domain, Optional.empty()).status()
                      == RequestStatus.VOID,
              "the portal voids the removed device's request");
          assertThat(appClient.approvedAccount(domain, Optional.empty()).encryptedPassword())
              .isNull();
          assertThat(Files.readString(gw.resolve("ipgw.log")))
              .doesNotContain(PASSWORD)
              .doesNotContain(sipPassword);
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(e.getMessage() + "\n" + ipgw.tail() + "\n" + portal.tail(), e);
        }
      }
    }
  }
}
