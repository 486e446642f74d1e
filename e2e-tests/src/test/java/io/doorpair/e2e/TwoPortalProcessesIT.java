package io.doorpair.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.SipPasswordCipher;
import io.doorpair.e2e.harness.ActorProcess;
import io.doorpair.e2e.harness.ReadyFile;
import io.doorpair.e2e.harness.Repo;
import io.doorpair.portal.testing.TestPostgres;
import io.doorpair.sipedge.testing.TestRedis;
import io.doorpair.welcome.api.AccessStatus;
import io.doorpair.welcome.api.ChannelPage;
import io.doorpair.welcome.api.ChannelRequest;
import io.doorpair.welcome.api.RequestStatus;
import io.doorpair.welcome.http.PortalClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two {@code bin/portal serve} processes on one PostgreSQL schema (the scale-out of DESIGN §10): an
 * app talking to process 1 asks for an account, the gateway long-polling process 2 is woken
 * (LISTEN/NOTIFY across processes; with {@code --redis}, Redis pub/sub, the mechanism that also
 * carries CRLs to the SIP nodes), approves there, and the app waiting on process 1 gets the
 * approved account and decrypts its password.
 */
class TwoPortalProcessesIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PASSWORD = "carol's long password";

  @ParameterizedTest(name = "notifications through {0}")
  @ValueSource(strings = {"postgresql", "redis"})
  void a_request_on_one_process_reaches_the_gateway_waiting_on_the_other(
      String notifications, TestInfo info) throws Exception {
    List<String> redisFlags = List.of();
    String redisPrefix = null;
    if (notifications.equals("redis")) {
      redisPrefix = TestRedis.uniquePrefix();
      redisFlags = List.of("--redis=" + TestRedis.require(), "--redis-prefix=" + redisPrefix);
    }
    TestPostgres.Schema schema = TestPostgres.createSchema();
    if (TestPostgres.required()) {
      assertThat(schema.name()).as(schema.unreachable().orElse("")).isPresent();
    }
    assumeTrue(schema.name().isPresent(), () -> schema.unreachable().orElse(""));
    String db = TestPostgres.urlOf(schema.name().orElseThrow());
    Path work =
        Repo.workDir(
            getClass().getSimpleName(),
            info.getTestMethod().orElseThrow().getName() + "-" + notifications);
    Path data1 = work.resolve("portal1/data");
    Path data2 = work.resolve("portal2/data");
    ExecutorService background = Executors.newCachedThreadPool();
    try (ActorProcess portal1 = serve(work.resolve("portal1"), data1, db, redisFlags)) {
      ReadyFile ready1 = portal1.awaitReady(data1.resolve("ready.json"), START);
      // The second process shares the CA (its key files, as an operator would copy them).
      Files.createDirectories(
          data2,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      for (String file : List.of("ca.pem", "ca-key.pem")) {
        Files.copy(data1.resolve(file), data2.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
      }
      try (ActorProcess portal2 = serve(work.resolve("portal2"), data2, db, redisFlags)) {
        ReadyFile ready2 = portal2.awaitReady(data2.resolve("ready.json"), START);
        try {
          ActorProcess.Result added =
              ActorProcess.run(
                  work,
                  PASSWORD + "\n",
                  START,
                  "portal",
                  "user",
                  "add",
                  "carol",
                  "--password-stdin",
                  "--db=" + db);
          assertThat(added.exit()).as(added.output()).isZero();
          X509Certificate ca = Pem.parseCertificate(Files.readString(data1.resolve("ca.pem")));

          // The gateway pairs and listens on process 2; the owner's app pairs on process 1.
          PortalClient first2 =
              PortalClient.builder(ready2.api()).trustAnchors(List.of(ca)).build();
          KeyPair gatewayKeys = RsaKeys.generate(2048);
          byte[] random = new byte[5];
          new SecureRandom().nextBytes(random);
          String domain = "tp" + HexFormat.of().formatHex(random);
          X509Certificate gatewayCert =
              Pem.parseCertificate(
                  first2
                      .pair(
                          "carol",
                          PASSWORD.toCharArray(),
                          CertificateRequest.create(gatewayKeys, "ipgw@" + domain, Optional.empty())
                              .pem(),
                          "Location: Loft")
                      .certificate());
          PortalClient gateway =
              first2.withIdentity(gatewayKeys.getPrivate(), List.of(gatewayCert), ca);

          PortalClient first1 =
              PortalClient.builder(ready1.api()).trustAnchors(List.of(ca)).build();
          KeyPair appKeys = RsaKeys.generate(2048);
          X509Certificate appCert =
              Pem.parseCertificate(
                  first1
                      .pair(
                          "carol",
                          PASSWORD.toCharArray(),
                          CertificateRequest.create(
                                  appKeys, "carol@portal.localhost", Optional.of(UUID.randomUUID()))
                              .pem(),
                          "Carol's phone")
                      .certificate());
          PortalClient app = first1.withIdentity(appKeys.getPrivate(), List.of(appCert), ca);

          CompletableFuture<ChannelPage> polled =
              CompletableFuture.supplyAsync(
                  () -> gateway.channel(0, Optional.of(WAIT), 100), background);
          AccessStatus asked = app.createSipAccount(domain);
          assertThat(asked.status()).isEqualTo(RequestStatus.PENDING);
          CompletableFuture<AccessStatus> awaited =
              CompletableFuture.supplyAsync(
                  () -> app.approvedAccount(domain, Optional.of(WAIT)), background);

          ChannelPage page = polled.get(90, TimeUnit.SECONDS);
          if (page.items().isEmpty()) {
            // The gateway's wait ended before the request (a very slow machine): poll again.
            page = gateway.channel(0, Optional.of(WAIT), 100);
          }
          assertThat(page.items()).hasSize(1);
          ChannelRequest request = page.items().get(0).request();
          assertThat(request.requestId()).isEqualTo(asked.requestId());

          X509Certificate requester = Pem.parseCertificate(request.certificate());
          SipPassword password = SipPassword.generate(new SecureRandom());
          gateway.approve(
              request.requestId(),
              "carol-phone",
              SipPasswordCipher.encrypt(password, requester.getPublicKey()),
              request.gruu());

          AccessStatus account = awaited.get(90, TimeUnit.SECONDS);
          if (account.status() == RequestStatus.PENDING) {
            account = app.approvedAccount(domain, Optional.empty());
          }
          assertThat(account.status()).isEqualTo(RequestStatus.APPROVED);
          AccessStatus.Account sip = account.account().orElseThrow();
          assertThat(SipPasswordCipher.decrypt(sip.encryptedPassword(), appKeys.getPrivate()))
              .isEqualTo(password);
          if (redisPrefix != null) {
            for (ActorProcess p : List.of(portal1, portal2)) {
              assertThat(p.tail()).contains("notifications between portal processes through Redis");
            }
          }
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(
              e.getMessage()
                  + "\n--- portal 1\n"
                  + portal1.tail()
                  + "\n--- portal 2\n"
                  + portal2.tail(),
              e);
        }
      }
    } finally {
      background.shutdownNow();
      TestPostgres.dropSchema(schema.name().orElseThrow());
      if (redisPrefix != null) {
        TestRedis.deleteKeys(redisPrefix);
      }
    }
  }

  private static ActorProcess serve(Path home, Path data, String db, List<String> redisFlags)
      throws Exception {
    List<String> flags = new java.util.ArrayList<>(List.of("--db=" + db));
    flags.addAll(redisFlags);
    return ActorProcess.portal(home, data, flags.toArray(String[]::new));
  }
}
