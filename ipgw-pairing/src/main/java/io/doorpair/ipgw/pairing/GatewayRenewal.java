package io.doorpair.ipgw.pairing;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.CryptoException;
import io.doorpair.crypto.Pem;
import io.doorpair.ipgw.files.GatewayFiles;
import io.doorpair.ipgw.store.GatewayStore;
import io.doorpair.ipgw.store.Pairing;
import io.doorpair.ipgw.store.PairingTable;
import io.doorpair.welcome.api.CertificateResponse;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.http.PortalException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the gateway's certificate over mutual TLS ({@code POST /api/renew}): same key, same {@code
 * ipgw@DOMAIN}. During a portal CA rotation the answer carries the new CA, which the portal client
 * accepts only when the same TLS session presented its cross-certificate from the pinned CA ({@link
 * PortalClient#renew}, {@code docs/ca-rotation.md}); the gateway then stores the new certificate
 * and CA in one transaction (the store is the source of every file) and writes {@code agent.pem}
 * and {@code cafile.pem} in an order the b2b accepts at every step ({@link
 * GatewayFiles#writeRenewedIdentity}). The caller restarts the b2b, as after a pairing.
 */
public final class GatewayRenewal {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayRenewal.class);
  private static final Duration MAX_MARGIN = Duration.ofDays(30);

  private final GatewayStore store;
  private final GatewayFiles files;
  private final Clock clock;

  /**
   * A renewal use case.
   *
   * @param store the pairing to renew
   * @param files writes {@code agent.pem} and {@code cafile.pem}
   * @param clock decides when a renewal is due
   */
  public GatewayRenewal(GatewayStore store, GatewayFiles files, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.files = Objects.requireNonNull(files, "files");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Whether the certificate should be renewed: less than a third of its validity, or 30 days,
   * whichever is less, is left. False before pairing.
   *
   * @return true when due
   */
  public boolean isDue() {
    Optional<Pairing> pairing = store.transaction(PairingTable::get);
    if (pairing.isEmpty()) {
      return false;
    }
    X509Certificate certificate = GatewayIdentity.of(pairing.get()).certificate();
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    Duration third = Duration.between(notBefore, notAfter).dividedBy(3);
    Duration margin = third.compareTo(MAX_MARGIN) < 0 ? third : MAX_MARGIN;
    return !clock.instant().plus(margin).isBefore(notAfter);
  }

  /**
   * Whether the portal's CA is no longer the one this gateway pinned ({@code GET /api/ca.pem}
   * differs): the portal CA was rotated and the gateway should renew to move to the new CA.
   *
   * @param portal any client of the portal
   * @return true when the portal serves another CA; false before pairing
   * @throws PairingException with the portal client's code when the portal cannot be asked
   */
  public boolean portalCaRotated(PortalClient portal) {
    Optional<Pairing> pairing = store.transaction(PairingTable::get);
    if (pairing.isEmpty()) {
      return false;
    }
    try {
      GatewayIdentity.of(pairing.get()).client(portal).caPem();
      return false;
    } catch (PortalException e) {
      if (PortalException.CA_CHANGED.equals(e.code())) {
        return true;
      }
      throw new PairingException(
          e.code(), "cannot ask the portal for its CA: " + e.getMessage(), e);
    }
  }

  /**
   * Renews now.
   *
   * @param portal any client of the portal (its connection pool is shared; the gateway's identity
   *     and pinned CA are taken from the store)
   * @return the pairing with the renewed certificate (and the new CA after a rotation)
   * @throws PairingException {@code not_paired}, the portal client's code ({@code ca_changed} for a
   *     CA change without a valid cross-certificate), or {@code bad_answer}: nothing changed
   * @throws UncheckedIOException when a file cannot be written after the store was updated (the
   *     files are rewritten from the store at the next start)
   */
  public Pairing renew(PortalClient portal) {
    Pairing current =
        store
            .transaction(PairingTable::get)
            .orElseThrow(
                () ->
                    new PairingException(
                        PairingException.NOT_PAIRED, "the gateway is not paired", null));
    GatewayIdentity identity = GatewayIdentity.of(current);
    String commonName = "ipgw@" + current.domain();
    KeyPair keys = new KeyPair(identity.certificate().getPublicKey(), identity.key());
    String csr = CertificateRequest.create(keys, commonName, Optional.empty()).pem();
    CertificateResponse answer;
    try {
      answer = identity.client(portal).renew(csr);
    } catch (PortalException e) {
      throw new PairingException(e.code(), "renewal refused: " + e.getMessage(), e);
    }
    X509Certificate renewed;
    X509Certificate ca;
    try {
      renewed = Pem.parseCertificate(answer.certificate());
      ca = Pem.parseCertificate(answer.caCertificate());
      if (!renewed.getPublicKey().equals(keys.getPublic())) {
        throw badAnswer("the renewed certificate is not for the gateway's key");
      }
      if (!CertificateIdentity.of(renewed).commonName().equals(commonName)) {
        throw badAnswer("the renewed certificate is not for " + commonName);
      }
      renewed.verify(ca.getPublicKey());
    } catch (CryptoException | GeneralSecurityException | IllegalArgumentException e) {
      throw new PairingException(
          PairingException.BAD_ANSWER, "the renewed certificate does not check out", e);
    }
    String agentPem = Pem.privateKey(identity.key()) + Pem.certificate(renewed);
    String caPem = Pem.certificate(ca);
    boolean stored =
        store.transaction(c -> PairingTable.replaceIdentity(c, current.domain(), agentPem, caPem));
    if (!stored) {
      throw new PairingException(
          PairingException.NOT_PAIRED, "the gateway was paired again during the renewal", null);
    }
    boolean rotated = !identity.ca().equals(ca);
    try {
      files.writeRenewedIdentity(Pem.certificate(identity.ca()), caPem, agentPem);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write agent.pem or cafile.pem", e);
    }
    LOG.info(
        "gateway certificate renewed for {} until {}{}",
        commonName,
        renewed.getNotAfter().toInstant(),
        rotated ? " under the portal's new CA (CA rotation)" : "");
    return store.transaction(PairingTable::get).orElseThrow();
  }

  private static PairingException badAnswer(String message) {
    return new PairingException(PairingException.BAD_ANSWER, message, null);
  }
}
