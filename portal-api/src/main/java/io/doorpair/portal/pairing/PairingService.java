package io.doorpair.portal.pairing;

import io.doorpair.ca.AppSubject;
import io.doorpair.ca.CertificateAuthority;
import io.doorpair.ca.CsrPolicy;
import io.doorpair.ca.GatewaySubject;
import io.doorpair.ca.IssuedCertificate;
import io.doorpair.ca.PairingSubject;
import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.Pem;
import io.doorpair.portal.auth.Principal;
import io.doorpair.portal.http.ApiException;
import io.doorpair.portal.ops.PortalMetrics;
import io.doorpair.portal.ops.PortalMetrics.PairingKind;
import io.doorpair.portal.store.CertificateRecord;
import io.doorpair.portal.store.DomainTakenException;
import io.doorpair.portal.store.GatewayRecord;
import io.doorpair.portal.store.PortalStore;
import io.doorpair.welcome.api.CertificateResponse;
import io.doorpair.welcome.api.PairRequest;
import io.doorpair.welcome.api.RenewRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pairs gateways and apps, and renews their certificates. The CSR is parsed and its signature
 * checked, the policy of DESIGN §3 decides what may be issued, the CA signs, and the store records
 * the certificate (and the gateway) in one transaction; the response is sent only once that
 * transaction committed.
 */
public final class PairingService {
  private static final Logger LOG = LoggerFactory.getLogger(PairingService.class);

  private final CertificateAuthority ca;
  private final PortalStore store;
  private final String portalDomain;
  private final Clock clock;
  private final SecureRandom random;
  private final String caPem;
  private final PortalMetrics metrics;

  public PairingService(
      CertificateAuthority ca,
      PortalStore store,
      String portalDomain,
      Clock clock,
      SecureRandom random,
      PortalMetrics metrics) {
    this.metrics = metrics;
    this.ca = ca;
    this.store = store;
    this.portalDomain = portalDomain;
    this.clock = clock;
    this.random = random;
    this.caPem = Pem.certificate(ca.certificate());
  }

  /** {@code POST /api/pair} for a user already authenticated by digest. */
  public CertificateResponse pair(String username, PairRequest request) {
    PairingKind kind = PairingKind.UNKNOWN;
    try {
      String friendlyName = FriendlyNames.require(request.friendlyName());
      CertificateRequest csr = CertificateRequest.parse(request.csr());
      kind = csr.commonName().startsWith("ipgw@") ? PairingKind.GATEWAY : PairingKind.APP;
      PairingSubject subject = CsrPolicy.evaluate(csr, username, portalDomain);
      CertificateResponse response;
      if (subject instanceof GatewaySubject gateway) {
        response = pairGateway(username, gateway.domain(), csr, friendlyName);
      } else {
        AppSubject app = (AppSubject) subject;
        response = pairApp(app.username(), app.proposedInstance(), csr, friendlyName);
      }
      metrics.paired(kind, true);
      return response;
    } catch (RuntimeException e) {
      metrics.paired(kind, false);
      throw e;
    }
  }

  private CertificateResponse pairGateway(
      String owner, String domain, CertificateRequest csr, String friendlyName) {
    if (store.findGateway(domain).isPresent()) {
      throw domainTaken(domain);
    }
    IssuedCertificate issued = ca.issueClient(csr.publicKey(), "ipgw@" + domain, Optional.empty());
    CertificateRecord record =
        record(issued, CertificateRecord.Kind.GATEWAY, owner, Optional.of(domain), friendlyName);
    try {
      store.recordGatewayPairing(
          new GatewayRecord(domain, owner, friendlyName, clock.instant()), record);
    } catch (DomainTakenException e) {
      throw domainTaken(domain);
    }
    LOG.info(
        "paired gateway domain={} owner={} serial={}", domain, owner, issued.serial().toString(16));
    return new CertificateResponse(issued.pem(), caPem, null, null, domain);
  }

  private CertificateResponse pairApp(
      String username, Optional<UUID> proposed, CertificateRequest csr, String friendlyName) {
    UUID instance = proposed.orElseGet(this::randomUuid);
    String commonName = username + "@" + portalDomain;
    IssuedCertificate issued = ca.issueClient(csr.publicKey(), commonName, Optional.of(instance));
    store.recordCertificate(
        record(issued, CertificateRecord.Kind.APP, username, Optional.empty(), friendlyName));
    LOG.info(
        "paired app user={} instance={} serial={}",
        username,
        instance,
        issued.serial().toString(16));
    return appResponse(issued, username, instance);
  }

  /** {@code POST /api/renew}: a new certificate for the same identity, over mutual TLS. */
  public CertificateResponse renew(Principal principal, RenewRequest request) {
    CertificateRequest csr = CertificateRequest.parse(request.csr());
    CsrPolicy.evaluateRenewal(csr, principal.certificate());
    CertificateRecord current =
        store
            .findCertificate(principal.serial())
            .orElseThrow(
                () -> ApiException.forbidden("unknown_certificate", "unknown certificate"));
    IssuedCertificate issued =
        ca.issueClient(csr.publicKey(), current.commonName(), current.instance());
    store.recordRenewal(
        current.serial(),
        record(
            issued,
            current.kind(),
            current.owner(),
            current.gatewayDomain(),
            current.friendlyName()));
    metrics.renewed();
    LOG.info(
        "renewed cn={} old_serial={} new_serial={}",
        current.commonName(),
        current.serial().toString(16),
        issued.serial().toString(16));
    return switch (current.kind()) {
      case GATEWAY ->
          new CertificateResponse(
              issued.pem(), caPem, null, null, current.gatewayDomain().orElseThrow());
      case APP -> appResponse(issued, current.owner(), current.instance().orElseThrow());
    };
  }

  private CertificateResponse appResponse(
      IssuedCertificate issued, String username, UUID instance) {
    String urn = "urn:uuid:" + instance;
    String gruu = "sip:" + username + "@" + portalDomain + ";gr=" + urn;
    return new CertificateResponse(issued.pem(), caPem, urn, gruu, null);
  }

  private CertificateRecord record(
      IssuedCertificate issued,
      CertificateRecord.Kind kind,
      String owner,
      Optional<String> domain,
      String friendlyName) {
    return new CertificateRecord(
        issued.serial(),
        kind,
        owner,
        issued.commonName(),
        domain,
        issued.instance(),
        friendlyName,
        issued.pem(),
        issued.notBefore(),
        issued.notAfter(),
        clock.instant(),
        Optional.empty(),
        Optional.empty());
  }

  private UUID randomUuid() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (bytes[i] & 0xff);
      lsb = (lsb << 8) | (bytes[i + 8] & 0xff);
    }
    return new UUID(msb, lsb);
  }

  private static ApiException domainTaken(String domain) {
    return new ApiException(
        409, "domain_taken", "gateway domain " + domain + " is taken: draw a new one and retry");
  }
}
