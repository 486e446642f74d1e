package io.doorpair.welcome.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.RsaKeys;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.SipPasswordCipher;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.http.PortalException;
import io.doorpair.welcome.profile.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A portal answering what no real portal would: each answer is refused with a clear error, and the
 * profile is left exactly as it was (compared file by file, byte for byte).
 */
class BadPortalAnswersTest {
  private static final char[] PASSWORD = "alice's long password".toCharArray();

  @TempDir Path dir;

  private final ScriptedPortal portal = new ScriptedPortal();
  private final SecureRandom random = new SecureRandom();

  BadPortalAnswersTest() throws IOException {}

  @AfterEach
  void stop() throws IOException {
    portal.close();
  }

  private Profile profile() {
    return Profile.at(dir.resolve("profile"));
  }

  private PortalClient firstContact() {
    return PortalClient.builder(portal.url())
        .trustAnchors(List.of(portal.pki.caCertificate()))
        .callTimeout(Duration.ofSeconds(20))
        .build();
  }

  private void pair() {
    new Pairing(random)
        .pair(
            firstContact(),
            profile(),
            new PairingRequest("alice", ScriptedPortal.SIP_DOMAIN, "Alice's phone"),
            PASSWORD);
  }

  private void tryPair() {
    pair();
  }

  @Test
  void a_good_answer_pairs_and_writes_the_key_0600() throws IOException {
    pair();
    assertThat(profile().isPaired()).isTrue();
    assertThat(Files.getPosixFilePermissions(profile().keyFile()))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThat(WelcomeApp.open(profile()).identity().settings().commonName())
        .isEqualTo("alice@portal.test");
  }

  @Test
  void garbage_is_bad_response_and_nothing_is_written() throws IOException {
    portal.answer("/api/pair", r -> ScriptedPortal.json(200, "<html>it works!</html>"));
    assertThatThrownBy(this::tryPair)
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> assertThat(e.code()).isEqualTo(PortalException.BAD_RESPONSE));
    assertThat(files()).isEmpty();
  }

  @Test
  void truncated_json_is_bad_response_and_nothing_is_written() throws IOException {
    portal.answer(
        "/api/pair",
        r -> {
          String whole = portal.issue(r, Optional.empty());
          return ScriptedPortal.json(200, whole.substring(0, whole.length() / 2));
        });
    assertThatThrownBy(this::tryPair)
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> assertThat(e.code()).isEqualTo(PortalException.BAD_RESPONSE));
    assertThat(files()).isEmpty();
  }

  @Test
  void a_certificate_for_another_cn_is_refused_and_nothing_is_written() throws IOException {
    portal.answer(
        "/api/pair",
        r -> ScriptedPortal.json(200, portal.issue(r, Optional.of("mallory@portal.test"))));
    assertThatThrownBy(this::tryPair)
        .isInstanceOfSatisfying(
            FlowException.class,
            e -> {
              assertThat(e.code()).isEqualTo(FlowException.BAD_CERTIFICATE);
              assertThat(e.getMessage()).contains("mallory@portal.test");
            });
    assertThat(files()).isEmpty();
    assertThat(profile().isPaired()).isFalse();
  }

  @Test
  void a_certificate_for_another_key_is_refused_and_nothing_is_written() throws IOException {
    portal.answer(
        "/api/pair",
        r -> {
          portal.issue(r, Optional.empty());
          TestPki.Leaf other =
              portal.pki.issueClient(
                  "alice@portal.test", Optional.of(portal.lastInstance), TestPki.nextKey());
          return ScriptedPortal.json(
              200,
              "{\"certificate\":"
                  + quote(other.certificatePem())
                  + ",\"ca_certificate\":"
                  + quote(portal.pki.caPem())
                  + "}");
        });
    assertThatThrownBy(this::tryPair)
        .isInstanceOfSatisfying(
            FlowException.class,
            e -> assertThat(e.getMessage()).contains("not for this device's key"));
    assertThat(files()).isEmpty();
  }

  @Test
  void a_certificate_from_another_ca_is_refused_and_nothing_is_written() throws IOException {
    portal.answer(
        "/api/pair",
        r -> {
          portal.issue(r, Optional.empty());
          TestPki.Leaf rogue =
              portal.pki.issueRogueClient("alice@portal.test", Optional.of(portal.lastInstance));
          return ScriptedPortal.json(
              200,
              "{\"certificate\":"
                  + quote(rogue.certificatePem())
                  + ",\"ca_certificate\":"
                  + quote(portal.pki.caPem())
                  + "}");
        });
    assertThatThrownBy(this::tryPair)
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> assertThat(e.code()).isEqualTo(PortalException.BAD_RESPONSE));
    assertThat(files()).isEmpty();
  }

  @Test
  void a_second_pairing_of_a_paired_profile_is_refused_before_any_call() throws IOException {
    pair();
    Map<String, String> before = files();
    int calls = portal.server.getRequestCount();
    assertThatThrownBy(this::tryPair).hasMessageContaining("already paired");
    assertThat(portal.server.getRequestCount()).isEqualTo(calls);
    assertThat(files()).isEqualTo(before);
  }

  @Test
  void a_ca_change_after_pairing_is_refused_at_renewal_and_the_certificate_stays()
      throws IOException {
    pair();
    Map<String, String> before = files();
    TestPki other = TestPki.create("Portal CA");
    portal.answer(
        "/api/renew",
        r -> {
          TestPki.Leaf leaf =
              other.issueClient("alice@portal.test", Optional.of(portal.lastInstance));
          return ScriptedPortal.json(
              200,
              "{\"certificate\":"
                  + quote(leaf.certificatePem())
                  + ",\"ca_certificate\":"
                  + quote(other.caPem())
                  + "}");
        });
    assertThatThrownBy(() -> WelcomeApp.open(profile()).renew())
        .isInstanceOfSatisfying(
            PortalException.class, e -> assertThat(e.code()).isEqualTo(PortalException.CA_CHANGED));
    assertThat(files()).isEqualTo(before);
  }

  @Test
  void a_server_certificate_from_another_ca_fails_the_handshake_after_pairing() throws IOException {
    pair();
    Map<String, String> before = files();
    // A portal whose server certificate comes from a CA that is not the pinned one.
    try (ScriptedPortal impostor = new ScriptedPortal()) {
      String url = impostor.url();
      io.doorpair.welcome.profile.PairedIdentity identity = WelcomeApp.open(profile()).identity();
      PortalClient pinned =
          PortalClient.builder(url)
              .trustAnchors(List.of(identity.ca()))
              .pinnedCa(identity.ca())
              .clientIdentity(identity.key(), List.of(identity.certificate()))
              .build();
      assertThatThrownBy(pinned::joinableGateways)
          .isInstanceOfSatisfying(
              PortalException.class, e -> assertThat(e.code()).isEqualTo(PortalException.IO));
    }
    assertThat(files()).isEqualTo(before);
  }

  @Test
  void an_account_whose_password_does_not_decrypt_is_refused_and_not_stored() throws IOException {
    pair();
    Map<String, String> before = files();
    // Encrypted to another key: well-formed, but not for this device.
    String foreign =
        SipPasswordCipher.encrypt(
            SipPassword.generate(random), RsaKeys.generate(2048, random).getPublic(), random);
    portal.answer(
        "/api/get_approved_account/" + ScriptedPortal.DOMAIN,
        r -> ScriptedPortal.json(200, portal.approved(foreign)));
    WelcomeApp app = WelcomeApp.open(profile());
    assertThatThrownBy(
            () ->
                app.awaitAccount(ScriptedPortal.DOMAIN, Duration.ofSeconds(30), WaitProgress.NONE))
        .isInstanceOfSatisfying(
            FlowException.class,
            e -> {
              assertThat(e.code()).isEqualTo(FlowException.BAD_ACCOUNT);
              assertThat(e.getMessage()).contains("does not decrypt");
            });
    assertThat(files()).isEqualTo(before);
    assertThatThrownBy(() -> app.account(ScriptedPortal.DOMAIN))
        .isInstanceOfSatisfying(
            FlowException.class, e -> assertThat(e.code()).isEqualTo(FlowException.NO_ACCOUNT));
  }

  @Test
  void an_account_for_another_device_is_refused_and_not_stored() throws IOException {
    pair();
    Map<String, String> before = files();
    String mine = SipPasswordCipher.encrypt(SipPassword.generate(random), portal.lastKey, random);
    String otherDevice =
        portal
            .approved(mine)
            .replace(portal.lastInstance.toString(), java.util.UUID.randomUUID().toString());
    portal.answer(
        "/api/get_approved_account/" + ScriptedPortal.DOMAIN,
        r -> ScriptedPortal.json(200, otherDevice));
    assertThatThrownBy(
            () ->
                WelcomeApp.open(profile())
                    .awaitAccount(ScriptedPortal.DOMAIN, Duration.ofSeconds(30), WaitProgress.NONE))
        .isInstanceOfSatisfying(
            FlowException.class, e -> assertThat(e.code()).isEqualTo(FlowException.BAD_ACCOUNT));
    assertThat(files()).isEqualTo(before);
  }

  @Test
  void garbage_while_waiting_is_bad_response_and_nothing_is_stored() throws IOException {
    pair();
    Map<String, String> before = files();
    portal.answer(
        "/api/get_approved_account/" + ScriptedPortal.DOMAIN,
        r -> ScriptedPortal.json(200, "{\"request_id\":42,\"domain\":"));
    assertThatThrownBy(
            () ->
                WelcomeApp.open(profile())
                    .awaitAccount(ScriptedPortal.DOMAIN, Duration.ofSeconds(30), WaitProgress.NONE))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> assertThat(e.code()).isEqualTo(PortalException.BAD_RESPONSE));
    assertThat(files()).isEqualTo(before);
  }

  @Test
  void a_good_account_is_stored_0600_with_its_salt_and_decrypts() throws IOException {
    pair();
    SipPassword password = SipPassword.generate(random);
    portal.answer(
        "/api/get_approved_account/" + ScriptedPortal.DOMAIN,
        r ->
            ScriptedPortal.json(
                200, portal.approved(SipPasswordCipher.encrypt(password, portal.lastKey, random))));
    WelcomeApp app = WelcomeApp.open(profile());
    ReceivedAccount received =
        app.awaitAccount(ScriptedPortal.DOMAIN, Duration.ofSeconds(30), WaitProgress.NONE);
    assertThat(app.sipPassword(ScriptedPortal.DOMAIN)).isEqualTo(password);
    assertThat(app.account(ScriptedPortal.DOMAIN).code()).isEqualTo(received.code());
    Path file = profile().folder().resolve("accounts/" + ScriptedPortal.DOMAIN + ".json");
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThat(Files.readString(file)).doesNotContain(password.reveal());
  }

  private Map<String, String> files() throws IOException {
    Map<String, String> out = new TreeMap<>();
    Path root = profile().folder();
    if (!Files.exists(root)) {
      return out;
    }
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
