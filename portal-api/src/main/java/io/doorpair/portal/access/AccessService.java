package io.doorpair.portal.access;

import io.doorpair.crypto.Pem;
import io.doorpair.portal.auth.Principal;
import io.doorpair.portal.http.ApiException;
import io.doorpair.portal.notify.Notifier;
import io.doorpair.portal.notify.Topics;
import io.doorpair.portal.ops.PortalMetrics;
import io.doorpair.portal.store.AccessRequest;
import io.doorpair.portal.store.AccessStore.RequestOutcome;
import io.doorpair.portal.store.ApprovedAccount;
import io.doorpair.portal.store.CertificateRecord;
import io.doorpair.portal.store.GatewayRecord;
import io.doorpair.portal.store.PortalStore;
import io.doorpair.portal.store.StoreConflictException;
import io.doorpair.welcome.api.AccessStatus;
import io.doorpair.welcome.api.ApproveRequest;
import io.doorpair.welcome.api.GatewayRole;
import io.doorpair.welcome.api.JoinableGateway;
import io.doorpair.welcome.api.RequestStatus;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Specification steps 2, 5, 9 and 10 on the portal: joinable gateways, an app's access request, the
 * gateway's approval or denial, and the app's view of the outcome. Every write publishes its topic
 * after it committed.
 */
public final class AccessService {
  private static final Logger LOG = LoggerFactory.getLogger(AccessService.class);

  private final PortalStore store;
  private final Gateways gateways;
  private final Notifier notifier;
  private final RequestVoider voider;
  private final String portalDomain;
  private final Clock clock;
  private final PortalMetrics metrics;

  public AccessService(
      PortalStore store,
      Notifier notifier,
      RequestVoider voider,
      String portalDomain,
      Clock clock,
      PortalMetrics metrics) {
    this.store = store;
    this.gateways = new Gateways(store);
    this.notifier = notifier;
    this.voider = voider;
    this.portalDomain = portalDomain;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** What {@link #createRequest} returns: the request, and whether it was made just now. */
  public record Created(AccessStatus status, boolean created) {}

  /**
   * {@code GET /api/joinable_gateways}: owned gateways first, then those the user is a guest of.
   */
  public List<JoinableGateway> joinable(Principal.AppDevice app) {
    return gateways.joinableBy(app.username()).stream()
        .map(
            j ->
                new JoinableGateway(
                    j.gateway().domain(),
                    j.gateway().friendlyName(),
                    j.owner() ? GatewayRole.OWNER : GatewayRole.GUEST))
        .toList();
  }

  /**
   * {@code GET /api/create_sip_account/DOMAIN}: the pending or approved request of this device on
   * the gateway, or a new one, which the gateway's channel carries at once.
   */
  public Created createRequest(Principal.AppDevice app, String domainText) {
    GatewayRecord gateway = gateways.requireJoinable(domainText, app.username());
    CertificateRecord certificate =
        store
            .findCertificate(app.serial())
            .orElseThrow(() -> new ApiException(401, "certificate_refused", "unknown certificate"));
    RequestOutcome outcome;
    try {
      outcome =
          store.findOrCreateRequest(
              gateway.domain(),
              app.username(),
              app.instance(),
              app.serial(),
              certificate.pem(),
              certificate.friendlyName(),
              clock.instant());
    } catch (StoreConflictException e) {
      // Lost a race: the guest was removed, or the certificate revoked, since the checks above.
      gateways.requireJoinable(gateway.domain(), app.username());
      throw new ApiException(401, "certificate_refused", "this certificate is no longer live");
    }
    if (outcome.created()) {
      metrics.accessRequested();
      notifier.publish(Topics.channel(gateway.domain()));
      LOG.info(
          "access request id={} domain={} user={} instance={}",
          outcome.request().id(),
          gateway.domain(),
          app.username(),
          app.instance());
    }
    return new Created(status(outcome.request()), outcome.created());
  }

  /**
   * {@code GET /api/get_approved_account/DOMAIN}: this device's newest request on the gateway, or
   * {@code 404 no_request}.
   */
  public AccessStatus latest(Principal.AppDevice app, String domainText) {
    GatewayRecord gateway = gateways.requireJoinable(domainText, app.username());
    return store
        .latestRequest(gateway.domain(), app.username(), app.instance())
        .map(this::status)
        .orElseThrow(
            () ->
                new ApiException(
                    404,
                    "no_request",
                    "this device never asked for an account on gateway " + gateway.domain()));
  }

  /** {@code POST /api/gateway/requests/ID/approve}. */
  public AccessStatus approve(Principal.Gateway gateway, String idText, ApproveRequest body) {
    AccessRequest request = requireOwnPending(gateway, idText);
    ApprovedAccount account = Approvals.check(request, body, portalDomain, publicKeyOf(request));
    AccessRequest approved =
        store.approve(request.id(), account, clock.instant()).orElseThrow(AccessService::decided);
    notifier.publish(Topics.request(approved.id()));
    metrics.decided(PortalMetrics.Decision.APPROVED);
    LOG.info(
        "access request id={} approved by domain={} sip_username={}",
        approved.id(),
        gateway.domain(),
        account.sipUsername());
    return status(approved);
  }

  /** {@code POST /api/gateway/requests/ID/deny}. */
  public AccessStatus deny(Principal.Gateway gateway, String idText) {
    AccessRequest request = requireOwnPending(gateway, idText);
    AccessRequest denied =
        store.deny(request.id(), clock.instant()).orElseThrow(AccessService::decided);
    notifier.publish(Topics.request(denied.id()));
    metrics.decided(PortalMetrics.Decision.DENIED);
    LOG.info("access request id={} denied by domain={}", denied.id(), gateway.domain());
    return status(denied);
  }

  /**
   * {@code POST /api/gateway/requests/ID/void}: the gateway takes back a pending or approved
   * request (the security code was typed wrong too often, or the owner removed the device). The
   * app's {@code get_approved_account} then answers {@code void}, without the encrypted password,
   * and its next {@code create_sip_account} makes a new request. A request already void answers its
   * status again (the gateway retries after a lost answer); a denied one is {@code 409
   * not_voidable}.
   */
  public AccessStatus voidRequest(Principal.Gateway gateway, String idText) {
    AccessRequest request = requireOwn(gateway, idText);
    if (request.status() == AccessRequest.Status.VOID) {
      return status(request);
    }
    Optional<AccessRequest> voided = store.voidAtGateway(request.id(), clock.instant());
    if (voided.isEmpty()) {
      AccessRequest now =
          store.findRequest(request.id()).orElseThrow(AccessService::unknownRequest);
      if (now.status() == AccessRequest.Status.VOID) {
        return status(now);
      }
      throw notVoidable();
    }
    notifier.publish(Topics.request(request.id()));
    metrics.decided(PortalMetrics.Decision.VOIDED);
    LOG.info(
        "access request id={} voided by domain={} (was {})",
        request.id(),
        gateway.domain(),
        request.status().name().toLowerCase(java.util.Locale.ROOT));
    return status(voided.get());
  }

  private AccessRequest requireOwn(Principal.Gateway gateway, String idText) {
    AccessRequest request =
        parseId(idText).flatMap(store::findRequest).orElseThrow(AccessService::unknownRequest);
    if (!request.domain().equals(gateway.domain())) {
      throw ApiException.forbidden(
          "not_your_request", "request " + request.id() + " is addressed to another gateway");
    }
    return request;
  }

  private AccessRequest requireOwnPending(Principal.Gateway gateway, String idText) {
    AccessRequest request =
        parseId(idText).flatMap(store::findRequest).orElseThrow(AccessService::unknownRequest);
    if (!request.domain().equals(gateway.domain())) {
      throw ApiException.forbidden(
          "not_your_request", "request " + request.id() + " is addressed to another gateway");
    }
    if (request.status() != AccessRequest.Status.PENDING) {
      throw decided();
    }
    if (store.isRevoked(request.serial())) {
      // A revocation whose follow-up did not run (a crash between the two): void it now.
      voider.certificatesRevoked(List.of(request.serial()));
      throw decided();
    }
    return request;
  }

  /** The app's status object of a request. */
  AccessStatus status(AccessRequest request) {
    Optional<ApprovedAccount> account = request.account();
    return new AccessStatus(
        request.id(),
        request.domain(),
        wireStatus(request.status()),
        account.map(ApprovedAccount::sipUsername).orElse(null),
        account.map(ApprovedAccount::encryptedPassword).orElse(null),
        account.map(ApprovedAccount::gruu).orElse(null),
        "sip:ipgw@" + request.domain(),
        portalDomain);
  }

  /** A stored status as the wire names it. */
  static RequestStatus wireStatus(AccessRequest.Status status) {
    return switch (status) {
      case PENDING -> RequestStatus.PENDING;
      case APPROVED -> RequestStatus.APPROVED;
      case DENIED -> RequestStatus.DENIED;
      case VOID -> RequestStatus.VOID;
    };
  }

  private static PublicKey publicKeyOf(AccessRequest request) {
    return Pem.parseCertificate(request.certificatePem()).getPublicKey();
  }

  private static Optional<Long> parseId(String text) {
    if (text == null || !text.matches("[1-9][0-9]{0,17}")) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(text));
  }

  private static ApiException unknownRequest() {
    return new ApiException(404, "unknown_request", "no such access request");
  }

  private static ApiException notVoidable() {
    return new ApiException(
        409, "not_voidable", "this request was denied; there is nothing to void");
  }

  private static ApiException decided() {
    return new ApiException(
        409, "not_pending", "this request is no longer pending (decided or voided)");
  }
}
