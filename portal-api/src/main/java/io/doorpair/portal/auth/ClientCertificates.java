package io.doorpair.portal.auth;

import io.doorpair.portal.store.CertificateRecord;
import io.doorpair.portal.store.PortalStore;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Turns the client certificate of a mutual-TLS request into a {@link Principal}. The handshake
 * already checked the chain against the portal CA; this checks, on every request, that the portal
 * recorded this serial (the CA signs nothing it does not record, but the server's own certificate)
 * and that it is not revoked (resumed TLS sessions skip the handshake's check, and a revocation
 * must bite at once).
 */
public final class ClientCertificates {
  private final PortalStore store;

  public ClientCertificates(PortalStore store) {
    this.store = store;
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
    if (issued.isEmpty()) {
      return new Verdict.Refused("this certificate was not issued by this portal");
    }
    CertificateRecord record = issued.get();
    if (record.revoked()) {
      return new Verdict.Refused("this certificate is revoked");
    }
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
}
