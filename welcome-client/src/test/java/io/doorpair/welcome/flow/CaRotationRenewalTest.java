package io.doorpair.welcome.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.Pem;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.http.PortalException;
import io.doorpair.welcome.profile.PairedIdentity;
import io.doorpair.welcome.profile.Profile;
import io.doorpair.welcome.testing.CrossCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A portal CA rotation seen by the app, over real TLS: the portal restarts with a server
 * certificate of a new CA followed by a cross-certificate. The app pinned to the old CA renews,
 * stores the new certificate and CA together and pins the new CA; any other CA change is refused
 * and leaves the profile byte for byte as it was.
 */
class CaRotationRenewalTest {
  @TempDir Path dir;

  private final ScriptedPortal portal = new ScriptedPortal();
  private final TestPki next = TestPki.create("Portal CA 20261205T004512Z");
  private final SecureRandom random = new SecureRandom();

  CaRotationRenewalTest() throws IOException {}

  @BeforeEach
  void pair() {
    new Pairing(random)
        .pair(
            PortalClient.builder(portal.url())
                .trustAnchors(List.of(portal.pki.caCertificate()))
                .build(),
            profile(),
            new PairingRequest("alice", ScriptedPortal.SIP_DOMAIN, "Alice's phone"),
            "pw".toCharArray());
  }

  @AfterEach
  void stop() throws IOException {
    portal.close();
  }

  private Profile profile() {
    return Profile.at(dir.resolve("profile"));
  }

  private X509Certificate cross(KeyPair signer) {
    return CrossCertificates.of(
        next.caCertificate(), portal.pki.caCertificate(), signer.getPrivate());
  }

  private void renewAnswers() {
    portal.answer("/api/renew", r -> ScriptedPortal.json(201, portal.issue(r, Optional.empty())));
  }

  @Test
  void the_app_renews_over_the_cross_certificate_and_pins_the_new_ca() throws Exception {
    PairedIdentity before = WelcomeApp.open(profile()).identity();
    String key = Files.readString(profile().keyFile());
    portal.restart(next, next.issueServer("localhost", "127.0.0.1"), cross(portal.pki.caKeys()));
    renewAnswers();

    X509Certificate renewed = WelcomeApp.open(profile()).renew();

    renewed.verify(next.caCertificate().getPublicKey());
    PairedIdentity after = WelcomeApp.open(profile()).identity();
    assertThat(after.ca()).isEqualTo(next.caCertificate());
    assertThat(after.certificate()).isEqualTo(renewed);
    assertThat(after.certificate().getPublicKey()).isEqualTo(before.certificate().getPublicKey());
    assertThat(after.settings()).isEqualTo(before.settings());
    assertThat(Files.readString(profile().keyFile())).isEqualTo(key);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(profile().keyFile())))
        .isEqualTo("rw-------");
    assertThat(Files.exists(profile().folder().resolve("renewal.pem"))).isFalse();

    // from then on the new CA is the pinned one: a second renewal under it needs no cross-cert
    portal.restart(next, next.issueServer("localhost", "127.0.0.1"));
    X509Certificate again = WelcomeApp.open(profile()).renew();
    assertThat(WelcomeApp.open(profile()).identity().certificate()).isEqualTo(again);
    // and a portal with the old CA's server certificate only is no longer trusted
    portal.restart(portal.pki, portal.pki.issueServer("localhost", "127.0.0.1"));
    Map<String, String> pinnedNew = files();
    assertThatThrownBy(() -> WelcomeApp.open(profile()).renew())
        .isInstanceOfSatisfying(
            PortalException.class, e -> assertThat(e.code()).isEqualTo(PortalException.IO));
    assertThat(files()).isEqualTo(pinnedNew);
  }

  @Test
  void a_new_ca_on_a_session_without_its_cross_certificate_is_refused() throws Exception {
    // the server still proves the old CA (its certificate), but the answer names a new CA
    Map<String, String> before = files();
    portal.restart(next, portal.pki.issueServer("localhost", "127.0.0.1"));
    renewAnswers();
    assertRefused(before, "no certificate of the new CA signed by the pinned CA");
  }

  @Test
  void a_cross_certificate_signed_by_another_key_fails_the_handshake() throws Exception {
    // (the same cross-certificate riding along a chain that verifies otherwise is refused by the
    // rotation check: RotationChecksTest)
    Map<String, String> before = files();
    portal.restart(next, next.issueServer("localhost", "127.0.0.1"), cross(RsaKeys.generate(2048)));
    renewAnswers();
    assertThatThrownBy(() -> WelcomeApp.open(profile()).renew())
        .isInstanceOfSatisfying(
            PortalException.class, e -> assertThat(e.code()).isEqualTo(PortalException.IO));
    assertThat(files()).isEqualTo(before);
  }

  @Test
  void a_renewed_certificate_not_signed_by_the_new_ca_is_refused() throws Exception {
    Map<String, String> before = files();
    portal.restart(next, next.issueServer("localhost", "127.0.0.1"), cross(portal.pki.caKeys()));
    portal.answer(
        "/api/renew",
        r -> {
          portal.issue(r, Optional.empty());
          String cn = "alice@" + ScriptedPortal.SIP_DOMAIN;
          TestPki.Leaf byLookAlike = next.issueRogueClient(cn, Optional.of(portal.lastInstance));
          return ScriptedPortal.json(
              201,
              "{\"certificate\":"
                  + quote(byLookAlike.certificatePem())
                  + ",\"ca_certificate\":"
                  + quote(next.caPem())
                  + "}");
        });
    assertRefused(before, "not signed by the new portal CA");
  }

  @Test
  void a_renewal_interrupted_after_its_commit_point_is_finished_at_the_next_load()
      throws Exception {
    PairedIdentity before = WelcomeApp.open(profile()).identity();
    X509Certificate renewed =
        next.issueClient(
                before.settings().commonName(),
                Optional.of(before.settings().instance()),
                new KeyPair(before.certificate().getPublicKey(), null))
            .certificate();
    // a crash before the commit point: only a temporary file; the old pair stays
    Path folder = profile().folder();
    Files.writeString(folder.resolve(".renewal.pem.tmp-1f2e3d"), Pem.certificate(renewed));
    assertThat(profile().identity().ca()).isEqualTo(before.ca());
    // a crash after it: renewal.pem written, certificate.pem already new, ca.pem still old
    Files.writeString(
        folder.resolve("renewal.pem"),
        Pem.certificate(renewed) + Pem.certificate(next.caCertificate()));
    Files.writeString(folder.resolve("certificate.pem"), Pem.certificate(renewed));
    PairedIdentity after = profile().identity();
    assertThat(after.certificate()).isEqualTo(renewed);
    assertThat(after.ca()).isEqualTo(next.caCertificate());
    assertThat(Files.exists(folder.resolve("renewal.pem"))).isFalse();
    assertThat(Pem.parseCertificate(Files.readString(profile().caFile())))
        .isEqualTo(next.caCertificate());
    // a renewal.pem that does not belong to the profile is an error naming it, nothing replaced
    X509Certificate foreign =
        next.issueClient("mallory@portal.test", Optional.empty()).certificate();
    Files.writeString(
        folder.resolve("renewal.pem"),
        Pem.certificate(foreign) + Pem.certificate(next.caCertificate()));
    assertThatThrownBy(() -> profile().identity())
        .hasMessageContaining("renewal.pem does not belong to this profile");
    assertThat(Pem.parseCertificate(Files.readString(profile().certificateFile())))
        .isEqualTo(renewed);
  }

  private void assertRefused(Map<String, String> before, String why) throws IOException {
    assertThatThrownBy(() -> WelcomeApp.open(profile()).renew())
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.code()).isEqualTo(PortalException.CA_CHANGED);
              assertThat(e.getMessage()).contains(why);
            });
    assertThat(files()).isEqualTo(before);
  }

  private Map<String, String> files() throws IOException {
    Map<String, String> out = new TreeMap<>();
    Path root = profile().folder();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        out.put(root.relativize(p).toString(), Files.readString(p));
      }
    }
    return out;
  }

  private static String quote(String s) {
    try {
      return ScriptedPortal.JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
