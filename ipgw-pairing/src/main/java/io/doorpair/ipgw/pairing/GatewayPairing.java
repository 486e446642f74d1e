package io.doorpair.ipgw.pairing;

import io.doorpair.b2b.conf.AccountNames;
import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.CryptoException;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.crypto.SipPassword;
import io.doorpair.ipgw.accounts.FileSync;
import io.doorpair.ipgw.store.GatewayStore;
import io.doorpair.ipgw.store.Pairing;
import io.doorpair.ipgw.store.PairingTable;
import io.doorpair.welcome.api.CertificateResponse;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.http.PortalException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pairs the gateway with the portal, on the owner's credentials: draws a DOMAIN, makes an RSA key
 * and a CSR {@code ipgw@DOMAIN}, asks the portal ({@code POST /api/pair}, HTTP Digest) with the
 * friendly name; on {@code 409} starts over with a new DOMAIN and a new key. The answer is checked
 * (the certificate carries this key and name and is signed by the returned CA), then the identity
 * replaces the previous one in the store in one transaction (a new owner: requests, accounts and
 * unsent events of the old pairing go with it), and every file is rewritten from the store.
 */
public final class GatewayPairing {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayPairing.class);

  private final GatewayStore store;
  private final FileSync files;
  private final PairingSettings settings;
  private final SecureRandom random;
  private final Clock clock;
  private final Supplier<String> domains;

  /**
   * A pairing use case.
   *
   * @param store where the identity goes
   * @param files writes the files from the store
   * @param settings SIP URIs for {@code b2b.conf}, key size, attempts
   * @param random for DOMAINs, keys and the b2b password
   * @param clock for the pairing time
   */
  public GatewayPairing(
      GatewayStore store,
      FileSync files,
      PairingSettings settings,
      SecureRandom random,
      Clock clock) {
    this(store, files, settings, random, clock, () -> GatewayDomains.draw(random));
  }

  /**
   * A pairing use case drawing DOMAINs from {@code domains} (tests force a collision with it).
   *
   * @param store where the identity goes
   * @param files writes the files from the store
   * @param settings SIP URIs for {@code b2b.conf}, key size, attempts
   * @param random for keys and the b2b password
   * @param clock for the pairing time
   * @param domains the DOMAIN source, each a valid DOMAIN
   */
  public GatewayPairing(
      GatewayStore store,
      FileSync files,
      PairingSettings settings,
      SecureRandom random,
      Clock clock,
      Supplier<String> domains) {
    this.domains = Objects.requireNonNull(domains, "domains");
    this.store = Objects.requireNonNull(store, "store");
    this.files = Objects.requireNonNull(files, "files");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.random = Objects.requireNonNull(random, "random");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Pairs (or pairs again, for a new owner).
   *
   * @param portal a client of the portal for the first contact (no identity needed)
   * @param username the owner's portal username
   * @param password the owner's password; not kept
   * @param friendlyName e.g. {@code Location: Loft}: 1-64 printable characters
   * @return the new pairing
   * @throws PairingException when the portal refuses or cannot be reached, or its answer does not
   *     check out: the previous pairing and its files are then untouched
   * @throws java.io.UncheckedIOException when a file cannot be written after the new pairing was
   *     stored: the files are rewritten from the store at the next start ({@link
   *     FileSync#writeAll})
   */
  public Pairing pair(PortalClient portal, String username, char[] password, String friendlyName) {
    requireFriendlyName(friendlyName);
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      String domain = AccountNames.gatewayDomain(domains.get());
      KeyPair keys = RsaKeys.generate(settings.keyBits(), random);
      String csr = CertificateRequest.create(keys, "ipgw@" + domain, Optional.empty()).pem();
      CertificateResponse answer;
      try {
        answer = portal.pair(username, password, csr, friendlyName);
      } catch (PortalException e) {
        if (e.status() == 409) {
          LOG.info("gateway domain {} taken (attempt {}): drawing another", domain, attempt);
          continue;
        }
        throw new PairingException(e.code(), "pairing refused: " + e.getMessage(), e);
      }
      Pairing pairing = accept(domain, keys, answer, friendlyName);
      store.transaction(
          c -> {
            PairingTable.replace(c, pairing);
            return null;
          });
      files.writeAll();
      LOG.info("gateway paired as ipgw@{}", domain);
      return pairing;
    }
    throw new PairingException(
        PairingException.DOMAINS_EXHAUSTED,
        "the portal refused " + settings.maxAttempts() + " DOMAINs as taken",
        null);
  }

  private Pairing accept(String domain, KeyPair keys, CertificateResponse answer, String name) {
    try {
      if (answer.certificate() == null || answer.caCertificate() == null) {
        throw new PairingException(
            PairingException.BAD_ANSWER, "the portal's answer lacks a certificate", null);
      }
      X509Certificate certificate = Pem.parseCertificate(answer.certificate());
      X509Certificate ca = Pem.parseCertificate(answer.caCertificate());
      if (!certificate.getPublicKey().equals(keys.getPublic())) {
        throw new PairingException(
            PairingException.BAD_ANSWER, "the certificate is not for the gateway's key", null);
      }
      if (!CertificateIdentity.of(certificate).commonName().equals("ipgw@" + domain)) {
        throw new PairingException(
            PairingException.BAD_ANSWER, "the certificate is not for ipgw@" + domain, null);
      }
      certificate.verify(ca.getPublicKey());
      String agentPem = Pem.privateKey(keys.getPrivate()) + Pem.certificate(certificate);
      return new Pairing(
          domain,
          name,
          agentPem,
          Pem.certificate(ca),
          SipPassword.generate(random),
          settings.portalSipUri(),
          settings.internalSipUri(),
          clock.instant(),
          0);
    } catch (CryptoException | GeneralSecurityException e) {
      throw new PairingException(
          PairingException.BAD_ANSWER, "the portal's certificate does not check out", e);
    }
  }

  private static void requireFriendlyName(String name) {
    if (!AccountNames.isFriendlyName(name)) {
      throw new PairingException(
          PairingException.BAD_FRIENDLY_NAME,
          "friendly name must be 1-64 printable characters",
          null);
    }
  }
}
