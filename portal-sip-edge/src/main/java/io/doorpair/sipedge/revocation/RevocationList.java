package io.doorpair.sipedge.revocation;

import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;

/**
 * The current CRL of each portal CA (two during a CA rotation's overlap, told apart by issuer
 * name). {@link #update} accepts only a CRL signed by one of the CA certificates and not older than
 * the one of the same issuer it replaces (no rollback to a list that forgot a revocation).
 * Thread-safe; reads are lock-free.
 */
public final class RevocationList {
  private final List<X509Certificate> authorities;
  private final Map<X500Principal, X509CRL> current = new ConcurrentHashMap<>();

  /** A list with no CRL yet (nothing revoked) for certificates of {@code authorities}. */
  public RevocationList(List<X509Certificate> authorities) {
    this.authorities = List.copyOf(authorities);
    if (this.authorities.isEmpty()) {
      throw new IllegalArgumentException("at least one CA certificate is needed");
    }
  }

  /**
   * Replaces the CRL.
   *
   * @throws IllegalArgumentException {@code the CRL is not signed by the portal CA}, {@code the CRL
   *     is older than the current one}
   */
  public synchronized void update(X509CRL crl) {
    Objects.requireNonNull(crl, "crl");
    if (!signedByAuthority(crl)) {
      throw new IllegalArgumentException("the CRL is not signed by the portal CA");
    }
    X509CRL before = current.get(crl.getIssuerX500Principal());
    if (before != null && crl.getThisUpdate().before(before.getThisUpdate())) {
      throw new IllegalArgumentException("the CRL is older than the current one");
    }
    current.put(crl.getIssuerX500Principal(), crl);
  }

  /** The CRLs in force, one per CA that has one (for the CRL's age and freshness in metrics). */
  public List<X509CRL> current() {
    return List.copyOf(current.values());
  }

  /** Whether {@code certificate} is listed in the current CRL of its issuer. */
  public boolean isRevoked(X509Certificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    X509CRL crl = current.get(certificate.getIssuerX500Principal());
    return crl != null && crl.isRevoked(certificate);
  }

  private boolean signedByAuthority(X509CRL crl) {
    for (X509Certificate ca : authorities) {
      if (!ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
        continue;
      }
      try {
        crl.verify(ca.getPublicKey());
        return true;
      } catch (GeneralSecurityException e) {
        // try the next authority
      }
    }
    return false;
  }
}
