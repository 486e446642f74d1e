package io.doorpair.welcome.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.testing.PairingVectors;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.welcome.profile.PairedIdentity;
import io.doorpair.welcome.profile.Profile;
import io.doorpair.welcome.profile.ProfileSettings;
import io.doorpair.welcome.profile.StoredAccount;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app's code and password handling reproduce {@code ../shared/testvectors/pairing-vectors.json}
 * through the profile: a device holding the vectors' key shows the vectors' codes for their salts,
 * and decrypts the vectors' ciphertext when the password is needed.
 */
class PairingVectorsFlowTest {
  private static final String DOMAIN = "k3x9abcd1234";

  @TempDir Path dir;

  @Test
  void the_app_shows_the_vector_codes_and_decrypts_the_vector_password() {
    PairingVectors vectors = PairingVectors.load();
    UUID instance = UUID.randomUUID();
    TestPki pki = TestPki.create("Portal CA");
    KeyPair keys = new KeyPair(vectors.certificate().getPublicKey(), vectors.privateKey());
    TestPki.Leaf certificate =
        pki.issueClient("alice@portal.example.com", Optional.of(instance), keys);
    ProfileSettings settings =
        new ProfileSettings(
            "https://portal.example.com/",
            "alice",
            "portal.example.com",
            instance,
            "Alice's phone",
            "sip:alice@portal.example.com;gr=urn:uuid:" + instance);
    for (PairingVectors.SecurityCodeCase c : vectors.securityCodes()) {
      Profile profile = Profile.at(dir.resolve("profile-" + c.salt()));
      profile.storePairing(
          new PairedIdentity(
              settings, vectors.privateKey(), certificate.certificate(), pki.caCertificate()));
      profile.storeAccount(
          new StoredAccount(
              DOMAIN,
              42,
              "alice-7f3a",
              vectors.ciphertextBase64(),
              settings.gruu(),
              "sip:ipgw@" + DOMAIN,
              "portal.example.com",
              c.salt()));
      WelcomeApp app = WelcomeApp.open(profile);
      assertThat(app.account(DOMAIN).code().value()).isEqualTo(c.securityCode());
      assertThat(app.sipPassword(DOMAIN).reveal()).isEqualTo(vectors.plaintext());
    }
  }
}
