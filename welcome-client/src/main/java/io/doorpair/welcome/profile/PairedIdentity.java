package io.doorpair.welcome.profile;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A paired device's identity: its settings, key, certificate and the pinned portal CA.
 *
 * @param settings the settings
 * @param key the private key (never printed)
 * @param certificate the device certificate
 * @param ca the pinned portal CA
 */
public record PairedIdentity(
    ProfileSettings settings, PrivateKey key, X509Certificate certificate, X509Certificate ca) {
  /** Checks that every part is present. */
  public PairedIdentity {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(ca, "ca");
  }

  @Override
  public String toString() {
    return "PairedIdentity[" + settings.commonName() + ", key=<redacted>]";
  }
}
