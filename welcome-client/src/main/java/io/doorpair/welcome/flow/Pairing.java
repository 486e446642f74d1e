package io.doorpair.welcome.flow;

import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.CryptoException;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.welcome.api.CertificateResponse;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.profile.PairedIdentity;
import io.doorpair.welcome.profile.Profile;
import io.doorpair.welcome.profile.ProfileException;
import io.doorpair.welcome.profile.ProfileSettings;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Steps 1 to 5: the device makes its RSA key, asks the portal for a certificate with a CSR that
 * carries its {@code urn:uuid} instance (HTTP Digest with the user's password), checks what comes
 * back and stores it in the profile. Everything is checked in memory before the first file is
 * written; the profile is written only when the answer is sound.
 */
public final class Pairing {
  private final SecureRandom random;

  /**
   * Pairing with a random source.
   *
   * @param random for the key and the instance
   */
  public Pairing(SecureRandom random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Pairs a device and stores the result in {@code profile}.
   *
   * @param firstContact a client for the portal that trusts its CA (or the system's)
   * @param profile an unpaired profile
   * @param request user, SIP domain, device name
   * @param password the user's password; not kept
   * @return the stored identity
   * @throws io.doorpair.welcome.http.PortalException when the portal refuses or answers badly
   * @throws FlowException {@link FlowException#BAD_CERTIFICATE} for a certificate that is not the
   *     one asked for (another CN, another key, another instance, not signed by the CA)
   * @throws ProfileException when the profile is already paired or cannot be written
   */
  public PairedIdentity pair(
      PortalClient firstContact, Profile profile, PairingRequest request, char[] password) {
    if (profile.isPaired()) {
      throw new ProfileException("profile " + profile.folder() + " is already paired");
    }
    KeyPair keys = RsaKeys.generate(request.keyBits(), random);
    UUID instance = randomUuid();
    String commonName = request.username() + "@" + request.sipDomain();
    String csr = CertificateRequest.create(keys, commonName, Optional.of(instance)).pem();
    CertificateResponse answer =
        firstContact.pair(request.username(), password, csr, request.friendlyName());
    X509Certificate certificate = parse(answer.certificate(), "certificate");
    X509Certificate ca = parse(answer.caCertificate(), "CA certificate");
    String gruu = "sip:" + commonName + ";gr=urn:uuid:" + instance;
    if (answer.gruu() != null && !answer.gruu().equalsIgnoreCase(gruu)) {
      throw new FlowException(
          FlowException.BAD_CERTIFICATE, "the portal returned the GRUU of another device");
    }
    ProfileSettings settings =
        new ProfileSettings(
            firstContact.baseUrl(),
            request.username(),
            request.sipDomain(),
            instance,
            request.friendlyName(),
            gruu);
    PairedIdentity identity = new PairedIdentity(settings, keys.getPrivate(), certificate, ca);
    try {
      profile.storePairing(identity);
    } catch (ProfileException e) {
      if (profile.isPaired()) {
        throw e;
      }
      // A mismatch found by the profile's checks is the portal's fault: say so.
      if (e.getCause() == null) {
        throw new FlowException(FlowException.BAD_CERTIFICATE, e.getMessage());
      }
      throw e;
    }
    return identity;
  }

  private UUID randomUuid() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40);
    b[8] = (byte) ((b[8] & 0x3f) | 0x80);
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (b[i] & 0xff);
      lsb = (lsb << 8) | (b[i + 8] & 0xff);
    }
    return new UUID(msb, lsb);
  }

  private static X509Certificate parse(String pem, String what) {
    try {
      return Pem.parseCertificate(pem);
    } catch (CryptoException | IllegalArgumentException e) {
      throw new FlowException(
          FlowException.BAD_CERTIFICATE, "the portal's " + what + " is unreadable");
    }
  }
}
