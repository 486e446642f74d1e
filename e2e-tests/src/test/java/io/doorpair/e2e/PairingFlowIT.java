package io.doorpair.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.e2e.harness.ActorProcess;
import io.doorpair.e2e.harness.ReadyFile;
import io.doorpair.e2e.harness.Repo;
import io.doorpair.welcome.api.CertificateResponse;
import io.doorpair.welcome.api.DeviceInfo;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.http.PortalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The pairing flow with {@code bin/portal} as its own process: an operator creates a user, then an
 * app and a gateway pair with the Java client and use their certificates.
 */
class PairingFlowIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final String PASSWORD = "alice's long password";
  private static final String BOB_PASSWORD = "bob's own long password";

  @Test
  void an_app_and_a_gateway_pair_with_the_real_portal(TestInfo info) throws Exception {
    Path work =
        Repo.workDir(getClass().getSimpleName(), info.getTestMethod().orElseThrow().getName());
    Path data = work.resolve("portal/data");
    try (ActorProcess portal = ActorProcess.portal(work.resolve("portal"), data)) {
      ReadyFile ready = portal.awaitReady(data.resolve("ready.json"), START);
      try {
        ActorProcess.addPortalUser(work, data, "alice", PASSWORD);

        X509Certificate ca = Pem.parseCertificate(Files.readString(data.resolve("ca.pem")));
        PortalClient firstContact =
            PortalClient.builder(ready.api()).trustAnchors(List.of(ca)).build();

        // The app: its own key, a CSR with its device instance, digest with the user's password.
        KeyPair appKeys = RsaKeys.generate(2048);
        UUID instance = UUID.randomUUID();
        CertificateResponse app =
            firstContact.pair(
                "alice",
                PASSWORD.toCharArray(),
                CertificateRequest.create(appKeys, "alice@portal.localhost", Optional.of(instance))
                    .pem(),
                "Alice's phone");
        X509Certificate appCert = Pem.parseCertificate(app.certificate());
        appCert.verify(ca.getPublicKey());
        assertThat(CertificateIdentity.of(appCert).commonName())
            .isEqualTo("alice@portal.localhost");
        assertThat(CertificateIdentity.of(appCert).instance()).contains(instance);
        assertThat(app.gruu()).isEqualTo("sip:alice@portal.localhost;gr=urn:uuid:" + instance);
        assertThat(Pem.parseCertificate(app.caCertificate())).isEqualTo(ca);

        // The gateway: a random DOMAIN, the owner's credentials.
        KeyPair gatewayKeys = RsaKeys.generate(2048);
        String domain = "e2e" + UUID.randomUUID().toString().replace("-", "").substring(0, 9);
        CertificateResponse gateway =
            firstContact.pair(
                "alice",
                PASSWORD.toCharArray(),
                CertificateRequest.create(gatewayKeys, "ipgw@" + domain, Optional.empty()).pem(),
                "Location: Loft");
        X509Certificate gatewayCert = Pem.parseCertificate(gateway.certificate());
        assertThat(CertificateIdentity.of(gatewayCert).gatewayDomain()).contains(domain);
        assertThat(gateway.domain()).isEqualTo(domain);

        // The same DOMAIN again is refused: the gateway would draw a new one.
        assertThatThrownBy(
                () ->
                    firstContact.pair(
                        "alice",
                        PASSWORD.toCharArray(),
                        CertificateRequest.create(gatewayKeys, "ipgw@" + domain, Optional.empty())
                            .pem(),
                        "Location: Loft"))
            .isInstanceOfSatisfying(
                PortalException.class, e -> assertThat(e.status()).isEqualTo(409));

        // From now on the app speaks with its certificate; the CA is pinned.
        PortalClient appClient =
            firstContact.withIdentity(appKeys.getPrivate(), List.of(appCert), ca);
        List<DeviceInfo> devices = appClient.devices().devices();
        assertThat(devices)
            .extracting(DeviceInfo::commonName)
            .containsExactlyInAnyOrder("alice@portal.localhost", "ipgw@" + domain);

        // A wrong password is refused.
        assertThatThrownBy(
                () ->
                    firstContact.pair(
                        "alice",
                        "wrong password".toCharArray(),
                        CertificateRequest.create(
                                appKeys, "alice@portal.localhost", Optional.empty())
                            .pem(),
                        "x"))
            .isInstanceOfSatisfying(
                PortalException.class, e -> assertThat(e.status()).isEqualTo(401));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\n" + portal.tail(), e);
      }
    }
  }

  /**
   * The access flow after pairing (docs/access-flow.md): the owner invites a guest, the guest's app
   * asks for an account, the gateway receives the request on its channel and approves it with a
   * password encrypted to the app's key, the app decrypts it; the gateway posts events, the apps
   * read them from a cursor. {@link AccessFlowScenario} plays the parties.
   */
  @Test
  void a_guest_gets_an_account_from_the_gateway_and_reads_its_events(TestInfo info)
      throws Exception {
    Path work =
        Repo.workDir(getClass().getSimpleName(), info.getTestMethod().orElseThrow().getName());
    Path data = work.resolve("portal/data");
    try (ActorProcess portal = ActorProcess.portal(work.resolve("portal"), data)) {
      ReadyFile ready = portal.awaitReady(data.resolve("ready.json"), START);
      try {
        ActorProcess.addPortalUser(work, data, "alice", PASSWORD);
        ActorProcess.addPortalUser(work, data, "bob", BOB_PASSWORD);
        X509Certificate ca = Pem.parseCertificate(Files.readString(data.resolve("ca.pem")));
        PortalClient firstContact =
            PortalClient.builder(ready.api()).trustAnchors(List.of(ca)).build();

        new AccessFlowScenario(firstContact, ca).run(PASSWORD, BOB_PASSWORD);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\n" + portal.tail(), e);
      }
    }
  }
}
