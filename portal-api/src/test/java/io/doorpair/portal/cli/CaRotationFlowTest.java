package io.doorpair.portal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.doorpair.ca.CaKeyFiles;
import io.doorpair.ca.CaRotation;
import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.portal.Portal;
import io.doorpair.portal.PortalConfig;
import io.doorpair.portal.RunningPortal;
import io.doorpair.portal.http.Json;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.portal.testing.RawApi;
import io.doorpair.portal.users.UserAdmin;
import io.doorpair.welcome.api.PairRequest;
import io.doorpair.welcome.api.RenewRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code portal ca rotate} and {@code portal ca retire-old} on a real portal restarted on its data
 * folder: devices paired under the old CA keep working during the overlap and renew to the new CA;
 * after retirement only new-CA certificates are admitted. Also a restore from a plain copy of the
 * data folder, and a rotation interrupted between its steps.
 */
class CaRotationFlowTest {
  private static final String PASSWORD = "erin's password";
  private static final String CN = "erin@" + PortalConfig.DEFAULT_DOMAIN;

  @TempDir Path dir;
  private RunningPortal running;

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  private record Device(KeyPair keys, X509Certificate certificate) {}

  private RunningPortal start(Path data) {
    PortalConfig base = PortalConfig.defaults(data);
    running =
        Portal.start(
            new PortalConfig(
                data,
                new InetSocketAddress("127.0.0.1", 0),
                new InetSocketAddress("127.0.0.1", 0),
                PortalConfig.DEFAULT_DOMAIN,
                base.databaseUrl(),
                List.of(),
                base.tlsCertificate(),
                base.tlsKey(),
                base.realm(),
                PortalExtension.TEST_CA),
            Clock.systemUTC(),
            new SecureRandom());
    return running;
  }

  private void stopPortal() {
    running.close();
    running = null;
  }

  private static int portal(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    try {
      System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      return PortalCommand.run(args);
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  private Device pair(X509Certificate pinned) throws Exception {
    KeyPair keys = RsaKeys.generate(2048);
    String csr = CertificateRequest.create(keys, CN, Optional.empty()).pem();
    RawApi.Exchange answer =
        RawApi.pinnedWithDigest(running.apiUrl(), pinned, "erin", PASSWORD)
            .postJson("/api/pair", Json.MAPPER.writeValueAsString(new PairRequest(csr, "phone")));
    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    return new Device(
        keys,
        Pem.parseCertificate(Json.MAPPER.readTree(answer.body()).get("certificate").asText()));
  }

  private RawApi as(Device device, X509Certificate pinned) {
    return RawApi.pinned(
        running.apiUrl(), pinned, device.keys().getPrivate(), List.of(device.certificate()));
  }

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void devices_renew_over_their_old_certificate_before_the_old_ca_is_retired() throws Exception {
    start(dir);
    new UserAdmin(running.store(), running.config().realm(), Clock.systemUTC())
        .add("erin", PASSWORD.toCharArray());
    X509Certificate oldCa = running.caCertificate();
    Device phone = pair(oldCa);
    Device tablet = pair(oldCa);
    assertThat(as(phone, oldCa).get("/api/joinable_gateways").status()).isEqualTo(200);
    assertThat(portal("ca", "rotate", "--data", dir.toString(), "--key-bits", "2048"))
        .as("refused while the portal runs")
        .isEqualTo(1);
    stopPortal();

    assertThat(portal("ca", "rotate", "--data", dir.toString(), "--key-bits", "2048")).isZero();
    assertThat(mode(dir.resolve(CaKeyFiles.KEY_FILE))).isEqualTo("rw-------");
    assertThat(mode(dir.resolve(CaRotation.PREVIOUS_KEY_FILE))).isEqualTo("rw-------");
    start(dir);
    X509Certificate newCa = running.caCertificate();
    assertThat(newCa).isNotEqualTo(oldCa);
    assertThat(RawApi.pinnedAnonymous(running.apiUrl(), oldCa).get("/api/ca.pem").body().strip())
        .isEqualTo(Pem.certificate(newCa).strip());

    // overlap: an old-CA device, pinned to the old CA, is admitted and renews to the new CA
    assertThat(as(phone, oldCa).get("/api/joinable_gateways").status()).isEqualTo(200);
    String csr = CertificateRequest.create(phone.keys(), CN, Optional.empty()).pem();
    RawApi.Exchange renewal =
        as(phone, oldCa)
            .postJson("/api/renew", Json.MAPPER.writeValueAsString(new RenewRequest(csr)));
    assertThat(renewal.status()).as(renewal.body()).isEqualTo(201);
    JsonNode answer = Json.MAPPER.readTree(renewal.body());
    X509Certificate renewed = Pem.parseCertificate(answer.get("certificate").asText());
    renewed.verify(newCa.getPublicKey());
    assertThat(Pem.parseCertificate(answer.get("ca_certificate").asText())).isEqualTo(newCa);
    assertThat(renewed.getSubjectX500Principal())
        .isEqualTo(phone.certificate().getSubjectX500Principal());
    assertThat(List.copyOf(renewed.getSubjectAlternativeNames()))
        .isEqualTo(List.copyOf(phone.certificate().getSubjectAlternativeNames()));
    Device renewedPhone = new Device(phone.keys(), renewed);
    assertThat(as(renewedPhone, newCa).get("/api/joinable_gateways").status()).isEqualTo(200);

    // overlap: revoking an old-CA device bites, and the old CA's CRL lists it
    String tabletSerial = tablet.certificate().getSerialNumber().toString(16);
    assertThat(
            as(renewedPhone, newCa)
                .postJson("/api/devices/" + tabletSerial + "/revoke", "{}")
                .status())
        .isEqualTo(200);
    assertThatThrownBy(() -> as(tablet, oldCa).get("/api/joinable_gateways"))
        .isInstanceOf(UncheckedIOException.class);
    X509CRL previousCrl =
        Pem.parseCrl(Files.readString(dir.resolve("crl-previous.pem"), StandardCharsets.US_ASCII));
    previousCrl.verify(oldCa.getPublicKey());
    assertThat(previousCrl.isRevoked(tablet.certificate())).isTrue();
    stopPortal();

    assertThat(portal("ca", "status", "--data", dir.toString())).isZero();
    assertThat(portal("ca", "retire-old", "--data", dir.toString())).isZero();
    assertThat(Files.exists(dir.resolve(CaRotation.PREVIOUS_KEY_FILE))).isFalse();
    assertThat(portal("ca", "retire-old", "--data", dir.toString()))
        .as("nothing left to retire")
        .isEqualTo(1);
    start(dir);
    assertThat(Files.exists(dir.resolve("crl-previous.pem"))).isFalse();
    // the old certificate is refused at the handshake, the renewed one admitted
    assertThatThrownBy(() -> as(phone, newCa).get("/api/joinable_gateways"))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(as(renewedPhone, newCa).get("/api/joinable_gateways").status()).isEqualTo(200);
    // a client still pinned to the old CA can no longer verify the portal
    assertThatThrownBy(() -> as(renewedPhone, oldCa).get("/api/joinable_gateways"))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void a_portal_restored_from_a_copy_of_its_data_folder_keeps_its_ca() throws Exception {
    Path data = dir.resolve("data");
    start(data);
    new UserAdmin(running.store(), running.config().realm(), Clock.systemUTC())
        .add("erin", PASSWORD.toCharArray());
    X509Certificate ca = running.caCertificate();
    Device phone = pair(ca);
    stopPortal();
    Path restored = dir.resolve("restored");
    Files.createDirectory(restored);
    try (Stream<Path> files = Files.list(data)) {
      for (Path file : files.toList()) {
        Files.copy(file, restored.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    start(restored);
    assertThat(running.caCertificate()).isEqualTo(ca);
    assertThat(mode(restored.resolve(CaKeyFiles.KEY_FILE))).isEqualTo("rw-------");
    assertThat(as(phone, ca).get("/api/joinable_gateways").status()).isEqualTo(200);
    Device another = pair(ca);
    another.certificate().verify(ca.getPublicKey());
  }

  @Test
  void a_rotation_interrupted_between_its_steps_leaves_a_working_portal() throws Exception {
    Path other = dir.resolve("other");
    CaKeyFiles.loadOrCreate(other, PortalExtension.TEST_CA, Clock.systemUTC(), new SecureRandom());
    Path data = dir.resolve("data");
    start(data);
    new UserAdmin(running.store(), running.config().realm(), Clock.systemUTC())
        .add("erin", PASSWORD.toCharArray());
    X509Certificate oldCa = running.caCertificate();
    Device phone = pair(oldCa);
    stopPortal();

    // killed after the new key and certificate were written, before the commit point
    Files.copy(
        other.resolve(CaKeyFiles.KEY_FILE),
        data.resolve(CaRotation.NEXT_KEY_FILE),
        StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(
        other.resolve(CaKeyFiles.CERTIFICATE_FILE),
        data.resolve(CaRotation.NEXT_CERTIFICATE_FILE),
        StandardCopyOption.COPY_ATTRIBUTES);
    start(data);
    assertThat(running.caCertificate()).isEqualTo(oldCa);
    assertThat(Files.exists(data.resolve(CaRotation.NEXT_KEY_FILE))).isFalse();
    assertThat(as(phone, oldCa).get("/api/joinable_gateways").status()).isEqualTo(200);
    stopPortal();

    // killed after the commit point, before the new key and certificate were renamed in place
    assertThat(portal("ca", "rotate", "--data", data.toString(), "--key-bits", "2048")).isZero();
    X509Certificate newCa =
        Pem.parseCertificate(
            Files.readString(data.resolve(CaKeyFiles.CERTIFICATE_FILE), StandardCharsets.US_ASCII));
    Files.move(data.resolve(CaKeyFiles.KEY_FILE), data.resolve(CaRotation.NEXT_KEY_FILE));
    Files.move(
        data.resolve(CaKeyFiles.CERTIFICATE_FILE), data.resolve(CaRotation.NEXT_CERTIFICATE_FILE));
    Files.copy(
        data.resolve(CaRotation.PREVIOUS_KEY_FILE),
        data.resolve(CaKeyFiles.KEY_FILE),
        StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(
        data.resolve(CaRotation.PREVIOUS_CERTIFICATE_FILE),
        data.resolve(CaKeyFiles.CERTIFICATE_FILE),
        StandardCopyOption.COPY_ATTRIBUTES);
    start(data);
    assertThat(running.caCertificate()).isEqualTo(newCa);
    assertThat(as(phone, oldCa).get("/api/joinable_gateways").status()).isEqualTo(200);
    Device fresh = pair(oldCa); // a client pinned to the old CA verifies the server still
    fresh.certificate().verify(newCa.getPublicKey());
  }
}
