package io.doorpair.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaKeyFilesTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final CaSettings SETTINGS = CaSettings.defaults().withKeyBits(2048);

  @TempDir Path dir;

  private CertificateAuthority loadOrCreate(Path where) {
    return CaKeyFiles.loadOrCreate(where, SETTINGS, CLOCK, new SecureRandom());
  }

  @Test
  void creates_a_0600_key_and_a_ca_certificate_then_loads_the_same_ca() throws Exception {
    CertificateAuthority created = loadOrCreate(dir);
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca-key.pem"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.pem"))))
        .isEqualTo("rw-r--r--");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temporary file left behind")
          .containsExactlyInAnyOrder("ca-key.pem", "ca.pem");
    }
    CertificateAuthority loaded = loadOrCreate(dir);
    assertThat(loaded.certificate()).isEqualTo(created.certificate());
    X509Certificate issued =
        loaded.issueClient(TestPki.pooledKey(2).getPublic(), "a@b", Optional.empty()).certificate();
    issued.verify(created.certificate().getPublicKey());
  }

  @Test
  void ca_certificate_is_a_self_signed_path_length_0_ca() throws Exception {
    X509Certificate ca = loadOrCreate(dir).certificate();
    ca.verify(ca.getPublicKey());
    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=doorpair portal CA");
    assertThat(ca.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    assertThat(ca.getBasicConstraints()).isZero();
    assertThat(ca.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
    assertThat(ca.getNonCriticalExtensionOIDs()).containsExactly("2.5.29.14");
    assertThat(ca.getKeyUsage())
        .startsWith(false, false, false, false, false, true, true, false, false);
    assertThat(ca.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
    assertThat(ca.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(7305)));
    assertThat(((java.security.interfaces.RSAPublicKey) ca.getPublicKey()).getModulus().bitLength())
        .isEqualTo(2048);
  }

  @Test
  void creates_a_missing_directory_owner_only() throws Exception {
    Path nested = dir.resolve("a/b");
    loadOrCreate(nested);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)))
        .isEqualTo("rwx------");
  }

  @Test
  void key_readable_by_group_is_refused_with_chmod_advice() throws Exception {
    loadOrCreate(dir);
    Path key = dir.resolve("ca-key.pem");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
    assertRefused(key + " is accessible by group or others (rw-r-----): run chmod 600 " + key);
  }

  @Test
  void key_readable_by_others_is_refused() throws Exception {
    loadOrCreate(dir);
    Path key = dir.resolve("ca-key.pem");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw----r--"));
    assertRefused(key + " is accessible by group or others (rw----r--): run chmod 600 " + key);
  }

  @Test
  void key_without_certificate_is_refused() throws Exception {
    loadOrCreate(dir);
    Files.delete(dir.resolve("ca.pem"));
    assertRefused(
        "found ca-key.pem without ca.pem in "
            + dir
            + ": restore ca.pem, or remove ca-key.pem to create a new CA");
  }

  @Test
  void certificate_without_key_is_refused() throws Exception {
    loadOrCreate(dir);
    Files.delete(dir.resolve("ca-key.pem"));
    assertRefused(
        "found ca.pem without ca-key.pem in "
            + dir
            + ": restore ca-key.pem, or remove ca.pem to create a new CA");
  }

  @Test
  void key_of_another_ca_is_refused() throws Exception {
    Path other = dir.resolve("other");
    Path mine = dir.resolve("mine");
    loadOrCreate(other);
    loadOrCreate(mine);
    Files.copy(
        other.resolve("ca.pem"),
        mine.resolve("ca.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> loadOrCreate(mine))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ca-key.pem does not match ca.pem in " + mine);
  }

  @Test
  void garbage_certificate_is_refused() throws Exception {
    loadOrCreate(dir);
    Files.writeString(dir.resolve("ca.pem"), "not a certificate\n", StandardCharsets.US_ASCII);
    assertRefused(
        dir.resolve("ca.pem") + " is not a usable CA certificate: no CERTIFICATE block found");
  }

  @Test
  void leaf_certificate_in_place_of_the_ca_is_refused() throws Exception {
    CertificateAuthority ca = loadOrCreate(dir);
    // a leaf for the CA's own key, so that key and certificate match
    String leaf =
        io.doorpair.crypto.Pem.certificate(
            ca.issueServer(ca.certificate().getPublicKey(), List.of("localhost"), List.of())
                .certificate());
    Files.writeString(dir.resolve("ca.pem"), leaf, StandardCharsets.US_ASCII);
    assertRefused(dir.resolve("ca.pem") + " is not a CA certificate");
  }

  @Test
  void expired_ca_is_refused() {
    X509Certificate ca = loadOrCreate(dir).certificate();
    Clock later = Clock.fixed(ca.getNotAfter().toInstant().plusSeconds(1), ZoneOffset.UTC);
    assertThatThrownBy(() -> CaKeyFiles.loadOrCreate(dir, SETTINGS, later, new SecureRandom()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(dir.resolve("ca.pem") + " expired on " + ca.getNotAfter().toInstant());
  }

  @Test
  void oversized_key_file_is_refused_before_parsing() throws Exception {
    loadOrCreate(dir);
    Path key = dir.resolve("ca-key.pem");
    Files.writeString(key, "x".repeat(70_000), StandardCharsets.US_ASCII);
    assertRefused(key + " is larger than 65536 bytes");
  }

  private void assertRefused(String message) {
    assertThatThrownBy(() -> loadOrCreate(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(message);
  }
}
