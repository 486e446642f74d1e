package io.doorpair.ca;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The portal's CAs: the one that issues, and during a rotation's overlap the previous one, still
 * trusted and still signing the CRL for the certificates it issued, with a cross-certificate of the
 * issuing CA signed by it (see {@link CaRotation}).
 *
 * @param current the CA that issues every new certificate
 * @param previous the CA before the last rotation, until {@code portal ca retire-old}
 * @param crossCertificate {@code current}'s subject and key, signed by {@code previous}: a server
 *     presents it after its own certificate so that clients pinned to the previous CA still verify
 *     it; present exactly when {@code previous} is
 */
public record CaKeyring(
    CertificateAuthority current,
    Optional<CertificateAuthority> previous,
    Optional<X509Certificate> crossCertificate) {

  public CaKeyring {
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(crossCertificate, "crossCertificate");
    if (previous.isPresent() != crossCertificate.isPresent()) {
      throw new IllegalArgumentException("a previous CA comes with its cross-certificate");
    }
  }

  /** A ring of one CA, no rotation under way. */
  public static CaKeyring of(CertificateAuthority current) {
    return new CaKeyring(current, Optional.empty(), Optional.empty());
  }

  /** Every CA to sign CRLs with: the current one first. */
  public List<CertificateAuthority> authorities() {
    List<CertificateAuthority> all = new ArrayList<>();
    all.add(current);
    previous.ifPresent(all::add);
    return List.copyOf(all);
  }

  /** The trust anchors for client certificates: the current CA certificate first. */
  public List<X509Certificate> trustAnchors() {
    return authorities().stream().map(CertificateAuthority::certificate).toList();
  }
}
