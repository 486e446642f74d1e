package io.doorpair.portal.auth;

import io.doorpair.portal.store.CertificateRecord;
import io.doorpair.portal.store.PortalStore;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;

/**
 * Turns the client certificate of a mutual-TLS request into a {@link Principal}. The handshake
 * already checked the chain against the portal CA; this checks, on every request, that the portal
 * recorded this serial (the CA signs nothing it does not record, but the server's own certificate)
 * and that it is not revoked (resumed TLS sessions skip the handshake's check, and a revocation
 * must bite at once), and that it has not expired by the portal's clock (a resumed session may
 * outlive the certificate).
 */
public final class ClientCertificates {
  private final PortalStore store;
  private final Clock clock;

  public ClientCertificates(PortalStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** What a request's certificate chain proves. */
  public sealed interface Verdict {
    /** No certificate was presented. */
    record None() implements Verdict {}

    /** The certificate is unknown to the portal or revoked. */
    record Refused(String reason) implements Verdict {}

    /** A live certificate the portal issued. */
    record Accepted(Principal principal) implements Verdict {}
  }

  /** Judges the chain a request presented ({@code null} or empty when none). */
  public Verdict judge(X509Certificate[] chain) {
    if (chain == null || chain.length == 0) {
      return new Verdict.None();
    }
    X509Certificate leaf = chain[0];
    Optional<CertificateRecord> issued = store.findCertificate(leaf.getSerialNumber());
    Optional<String> refusal = refusal(issued);
    if (refusal.isPresent()) {
      return new Verdict.Refused(refusal.get());
    }
    CertificateRecord record = issued.orElseThrow();
    Principal principal =
        switch (record.kind()) {
          case APP ->
              new Principal.AppDevice(
                  record.owner(), record.instance().orElseThrow(), record.serial(), leaf);
          case GATEWAY ->
              new Principal.Gateway(
                  record.gatewayDomain().orElseThrow(), record.owner(), record.serial(), leaf);
        };
    return new Verdict.Accepted(principal);
  }

  /**
   * Why the certificate with this serial may no longer be used (revoked, expired, unknown), or
   * empty while it is live: a long-poll asks again each time it wakes.
   */
  public Optional<String> refusal(BigInteger serial) {
    return refusal(store.findCertificate(serial));
  }

  private Optional<String> refusal(Optional<CertificateRecord> issued) {
    if (issued.isEmpty()) {
      return Optional.of("this certificate was not issued by this portal");
    }
    CertificateRecord record = issued.get();
    if (record.revoked()) {
      return Optional.of("this certificate is revoked");
    }
    if (!clock.instant().isBefore(record.notAfter())) {
      return Optional.of("this certificate has expired");
    }
    return Optional.empty();
  }
}
