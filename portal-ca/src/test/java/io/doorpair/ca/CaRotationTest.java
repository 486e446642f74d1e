package io.doorpair.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CaRotationTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Clock LATER = Clock.fixed(NOW.plusSeconds(86_400), ZoneOffset.UTC);
  private static final CaSettings SETTINGS = CaSettings.defaults().withKeyBits(2048);

  @TempDir Path dir;

  private CaKeyring ring(Clock clock) {
    return CaKeyFiles.loadKeyring(dir, SETTINGS, clock, new SecureRandom());
  }

  private X509Certificate rotate(CaRotation.Step stopAfter) {
    return CaRotation.rotate(dir, SETTINGS, LATER, new SecureRandom(), stopAfter);
  }

  private String mode(String file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file)));
  }

  private List<String> files() throws Exception {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void validate(List<X509Certificate> chain, X509Certificate anchor)
      throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(Date.from(LATER.instant()));
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
  }

  @Test
  void rotation_issues_from_a_new_ca_and_keeps_the_old_one_trusted_with_a_cross_certificate()
      throws Exception {
    X509Certificate old = ring(CLOCK).current().certificate();
    X509Certificate fresh = CaRotation.rotate(dir, SETTINGS, LATER, new SecureRandom());

    assertThat(fresh.getSubjectX500Principal().getName())
        .isEqualTo("CN=doorpair portal CA 20260302T120000Z");
    assertThat(files())
        .containsExactly("ca-key.pem", "ca-previous-key.pem", "ca-previous.pem", "ca.pem");
    assertThat(mode("ca-key.pem")).isEqualTo("rw-------");
    assertThat(mode("ca-previous-key.pem")).isEqualTo("rw-------");
    assertThat(mode("ca.pem")).isEqualTo("rw-r--r--");
    assertThat(mode("ca-previous.pem")).isEqualTo("rw-r--r--");

    CaKeyring ring = ring(LATER);
    assertThat(ring.current().certificate()).isEqualTo(fresh);
    assertThat(ring.previous().orElseThrow().certificate()).isEqualTo(old);
    assertThat(ring.trustAnchors()).containsExactly(fresh, old);
    X509Certificate issued =
        ring.current()
            .issueClient(TestPki.pooledKey(2).getPublic(), "a@b", Optional.empty())
            .certificate();
    validate(List.of(issued), fresh);
    // a client pinned to the old CA verifies the new CA's certificates through the cross one
    X509Certificate cross = ring.crossCertificate().orElseThrow();
    cross.verify(old.getPublicKey());
    assertThat(cross.getPublicKey()).isEqualTo(fresh.getPublicKey());
    validate(List.of(issued, cross), old);
    assertThatThrownBy(() -> validate(List.of(issued), old))
        .isInstanceOf(CertPathValidatorException.class);
  }

  @Test
  void a_second_rotation_waits_for_the_old_ca_to_be_retired() {
    ring(CLOCK);
    CaRotation.rotate(dir, SETTINGS, LATER, new SecureRandom());
    assertThatThrownBy(() -> CaRotation.rotate(dir, SETTINGS, LATER, new SecureRandom()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("retire-old");
  }

  @Test
  void retiring_the_old_ca_deletes_its_key_and_trust() throws Exception {
    X509Certificate old = ring(CLOCK).current().certificate();
    X509Certificate fresh = CaRotation.rotate(dir, SETTINGS, LATER, new SecureRandom());
    assertThat(CaRotation.retireOld(dir)).isEqualTo(old);
    assertThat(files()).containsExactly("ca-key.pem", "ca.pem");
    CaKeyring ring = ring(LATER);
    assertThat(ring.trustAnchors()).containsExactly(fresh);
    assertThat(ring.crossCertificate()).isEmpty();
    assertThatThrownBy(() -> CaRotation.retireOld(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no previous CA");
    // the next rotation may start, with a CN of its own (one in the same second is refused)
    assertThatThrownBy(() -> CaRotation.rotate(dir, SETTINGS, LATER, new SecureRandom()))
        .hasMessageContaining("this very second");
    Clock evenLater = Clock.offset(LATER, java.time.Duration.ofDays(30));
    assertThat(
            CaRotation.rotate(dir, SETTINGS, evenLater, new SecureRandom())
                .getSubjectX500Principal()
                .getName())
        .isEqualTo("CN=doorpair portal CA 20260401T120000Z");
  }

  @Test
  void without_a_ca_there_is_nothing_to_rotate() {
    assertThatThrownBy(() -> CaRotation.rotate(dir, SETTINGS, LATER, new SecureRandom()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no portal CA");
  }

  @ParameterizedTest
  @EnumSource(
      value = CaRotation.Step.class,
      names = {"NEXT_WRITTEN", "PREVIOUS_KEY_WRITTEN"})
  void a_rotation_interrupted_before_its_commit_point_leaves_the_old_ca(CaRotation.Step step)
      throws Exception {
    X509Certificate old = ring(CLOCK).current().certificate();
    rotate(step);
    CaKeyring ring = ring(LATER);
    assertThat(ring.current().certificate()).isEqualTo(old);
    assertThat(ring.previous()).isEmpty();
    assertThat(files()).as("leftovers removed").containsExactly("ca-key.pem", "ca.pem");
    // the rotation can be run again
    X509Certificate fresh = CaRotation.rotate(dir, SETTINGS, LATER, new SecureRandom());
    assertThat(ring(LATER).current().certificate()).isEqualTo(fresh);
  }

  @ParameterizedTest
  @EnumSource(
      value = CaRotation.Step.class,
      names = {"COMMITTED", "KEY_SWITCHED"})
  void a_rotation_interrupted_after_its_commit_point_is_finished_at_the_next_load(
      CaRotation.Step step) throws Exception {
    X509Certificate old = ring(CLOCK).current().certificate();
    X509Certificate fresh = rotate(step);
    CaKeyring ring = ring(LATER);
    assertThat(ring.current().certificate()).isEqualTo(fresh);
    assertThat(ring.previous().orElseThrow().certificate()).isEqualTo(old);
    assertThat(files())
        .containsExactly("ca-key.pem", "ca-previous-key.pem", "ca-previous.pem", "ca.pem");
    assertThat(mode("ca-key.pem")).isEqualTo("rw-------");
  }

  @Test
  void a_retirement_interrupted_after_its_commit_point_drops_the_old_key() throws Exception {
    ring(CLOCK);
    X509Certificate fresh = CaRotation.rotate(dir, SETTINGS, LATER, new SecureRandom());
    Files.delete(dir.resolve(CaRotation.PREVIOUS_CERTIFICATE_FILE));
    assertThat(ring(LATER).trustAnchors()).containsExactly(fresh);
    assertThat(files()).containsExactly("ca-key.pem", "ca.pem");
  }

  @Test
  void a_previous_key_readable_by_others_is_refused() throws Exception {
    ring(CLOCK);
    CaRotation.rotate(dir, SETTINGS, LATER, new SecureRandom());
    Files.setPosixFilePermissions(
        dir.resolve(CaRotation.PREVIOUS_KEY_FILE), PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> ring(LATER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("chmod 600");
  }

  @Test
  void a_previous_certificate_without_its_key_is_refused_with_advice() throws Exception {
    ring(CLOCK);
    CaRotation.rotate(dir, SETTINGS, LATER, new SecureRandom());
    Files.delete(dir.resolve(CaRotation.PREVIOUS_KEY_FILE));
    assertThatThrownBy(() -> ring(LATER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("retire-old");
  }
}
