package io.doorpair.welcome.flow;

import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.CryptoException;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.PublicKeyHash;
import io.doorpair.crypto.SecurityCode;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.SipPasswordCipher;
import io.doorpair.welcome.api.AccessStatus;
import io.doorpair.welcome.api.CertificateResponse;
import io.doorpair.welcome.api.DeviceInfo;
import io.doorpair.welcome.api.EventPage;
import io.doorpair.welcome.api.GuestInfo;
import io.doorpair.welcome.api.JoinableGateway;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.http.PortalException;
import io.doorpair.welcome.profile.PairedIdentity;
import io.doorpair.welcome.profile.Profile;
import io.doorpair.welcome.profile.StoredAccount;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A paired device's steps after pairing, over its profile and a {@link PortalClient} that presents
 * the device certificate and pins the portal CA: joinable gateways, access requests, the wait for
 * the approved account (steps 10-11), the security code, events, renewal, devices and guests.
 *
 * <p>Blocking methods respond to thread interruption (the portal call is cancelled and {@link
 * PortalException#CANCELLED} thrown, the interrupt flag left set).
 */
public final class WelcomeApp {
  /** The portal's longest long-poll. */
  public static final Duration LONG_POLL = Duration.ofSeconds(60);

  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Duration RENEWAL_MARGIN = Duration.ofDays(30);

  private final Profile profile;
  private final PairedIdentity identity;
  private final PortalClient portal;
  private final SecureRandom random;
  private final Clock clock;
  private final Duration longPoll;

  private WelcomeApp(
      Profile profile,
      PairedIdentity identity,
      PortalClient portal,
      SecureRandom random,
      Clock clock,
      Duration longPoll) {
    this.profile = profile;
    this.identity = identity;
    this.portal = portal;
    this.random = random;
    this.clock = clock;
    this.longPoll = longPoll;
  }

  /**
   * The app of a paired profile, speaking to the portal it paired with: mutual TLS with its
   * certificate, the pinned CA as the only trust anchor.
   *
   * @param profile a paired profile
   * @return the app
   * @throws io.doorpair.welcome.profile.ProfileException when the profile is not paired or broken
   */
  public static WelcomeApp open(Profile profile) {
    return open(profile, new SecureRandom(), Clock.systemUTC(), LONG_POLL);
  }

  /**
   * The app with injected randomness, clock and long-poll length (tests).
   *
   * @param profile a paired profile
   * @param random for the security code's salt
   * @param clock for renewal and backoff deadlines
   * @param longPoll how long one poll may be held, 1 to 60 s
   * @return the app
   */
  public static WelcomeApp open(
      Profile profile, SecureRandom random, Clock clock, Duration longPoll) {
    PairedIdentity identity = profile.identity();
    PortalClient portal =
        PortalClient.builder(identity.settings().portalUrl())
            .trustAnchors(List.of(identity.ca()))
            .pinnedCa(identity.ca())
            .clientIdentity(identity.key(), List.of(identity.certificate()))
            .build();
    return new WelcomeApp(profile, identity, portal, random, clock, longPoll);
  }

  /**
   * The identity this app presents.
   *
   * @return settings, key, certificate, CA
   */
  public PairedIdentity identity() {
    return identity;
  }

  /**
   * The portal client with this device's certificate.
   *
   * @return the client
   */
  public PortalClient portal() {
    return portal;
  }

  /**
   * Gateways this user owns or was invited to.
   *
   * @return the gateways, possibly none
   */
  public List<JoinableGateway> gateways() {
    return portal.joinableGateways();
  }

  /**
   * Asks a gateway for an account (step 6; idempotent per device and gateway).
   *
   * @param domain the gateway DOMAIN
   * @return the request's status
   */
  public AccessStatus request(String domain) {
    return portal.createSipAccount(domain);
  }

  /**
   * Waits for the gateway's decision, long-polling with backoff on failures, then stores the
   * account and draws the security code's salt (steps 10 and 11). The salt is drawn only now, after
   * the account arrived: a hostile portal has by then committed to the key it substituted and
   * cannot search for one whose code matches.
   *
   * @param domain the gateway DOMAIN
   * @param maxWait how long to wait in all
   * @param progress told of each pending answer and retry
   * @return the account and its code
   * @throws FlowException {@link FlowException#DENIED}, {@link FlowException#VOID}, {@link
   *     FlowException#NOT_YET} after {@code maxWait}, {@link FlowException#BAD_ACCOUNT} for an
   *     account this device cannot use (the profile then unchanged)
   * @throws PortalException {@code cancelled} when the thread is interrupted; a portal error other
   *     than a transient one
   */
  public ReceivedAccount awaitAccount(String domain, Duration maxWait, WaitProgress progress) {
    Objects.requireNonNull(progress, "progress");
    Optional<StoredAccount> known = profile.account(domain);
    if (known.isPresent()) {
      return withCode(known.get());
    }
    Instant start = clock.instant();
    Instant deadline = start.plus(maxWait);
    Duration backoff = FIRST_BACKOFF;
    while (true) {
      Duration left = Duration.between(clock.instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        throw new FlowException(
            FlowException.NOT_YET, "the gateway has not decided yet: wait again later");
      }
      Duration wait = min(longPoll, atLeastOneSecond(left));
      AccessStatus status;
      try {
        status = portal.approvedAccount(domain, Optional.of(wait));
      } catch (PortalException e) {
        if (!transientFailure(e)) {
          throw e;
        }
        progress.retrying(e, backoff);
        sleep(min(backoff, atLeastOneSecond(left)));
        backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
        continue;
      }
      backoff = FIRST_BACKOFF;
      switch (status.status()) {
        case APPROVED:
          return receive(domain, status);
        case DENIED:
          throw new FlowException(FlowException.DENIED, "the gateway denied the request");
        case VOID:
          throw new FlowException(
              FlowException.VOID, "the request was voided: ask again with welcome request");
        default:
          progress.pending(status, Duration.between(start, clock.instant()));
      }
    }
  }

  /**
   * The security code of a received account (to read to the owner again).
   *
   * @param domain the gateway DOMAIN
   * @return the account and its code
   * @throws FlowException {@link FlowException#NO_ACCOUNT} before the account arrived: there is no
   *     code before that
   */
  public ReceivedAccount account(String domain) {
    return withCode(
        profile
            .account(domain)
            .orElseThrow(
                () ->
                    new FlowException(
                        FlowException.NO_ACCOUNT,
                        "no account for " + domain + " yet: run welcome wait " + domain)));
  }

  /**
   * Decrypts the SIP password of a received account, when it is needed (registering, calling).
   *
   * @param domain the gateway DOMAIN
   * @return the password
   */
  public SipPassword sipPassword(String domain) {
    StoredAccount account = account(domain).account();
    try {
      return SipPasswordCipher.decrypt(account.encryptedPassword(), identity.key());
    } catch (CryptoException | IllegalArgumentException e) {
      throw new FlowException(
          FlowException.BAD_ACCOUNT, "the stored SIP password does not decrypt with this key");
    }
  }

  /**
   * Reads one page of events after the stored cursor, and stores the new cursor once {@code
   * handler} returned.
   *
   * @param wait how long the portal may hold the call when there is nothing new; empty for none
   * @param handler given the page before the cursor moves past it
   * @return the page
   */
  public EventPage nextEvents(Optional<Duration> wait, Consumer<EventPage> handler) {
    EventPage page = portal.events(profile.cursor(), wait, PortalClient.DEFAULT_LIMIT);
    handler.accept(page);
    profile.storeCursor(page.cursor());
    return page;
  }

  /**
   * Follows events until the thread is interrupted, storing the cursor after each page, with
   * backoff on transient failures.
   *
   * @param handler given each non-empty page
   * @throws PortalException {@code cancelled} when interrupted; a portal error that is not
   *     transient
   */
  public void followEvents(Consumer<EventPage> handler) {
    Duration backoff = FIRST_BACKOFF;
    while (true) {
      try {
        nextEvents(
            Optional.of(longPoll),
            page -> {
              if (!page.events().isEmpty()) {
                handler.accept(page);
              }
            });
        backoff = FIRST_BACKOFF;
      } catch (PortalException e) {
        if (!transientFailure(e)) {
          throw e;
        }
        sleep(backoff);
        backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
      }
    }
  }

  /**
   * Renews the certificate when less than {@code margin} of its validity is left: a CSR with the
   * same key, CN and instance, over mutual TLS; the new certificate is checked (same key, CN,
   * instance, signed by the pinned CA, or by a rotated CA as {@link #renew} says) before it
   * replaces the old one.
   *
   * @param margin renew when the certificate expires within this
   * @return the new certificate, or empty when no renewal was due
   */
  public Optional<X509Certificate> renewIfDue(Duration margin) {
    Instant notAfter = identity.certificate().getNotAfter().toInstant();
    if (clock.instant().plus(margin).isBefore(notAfter)) {
      return Optional.empty();
    }
    return Optional.of(renew());
  }

  /**
   * Renews the certificate when the portal's CA is no longer the pinned one ({@code GET
   * /api/ca.pem} differs): the portal CA was rotated, and the renewal moves this device to the new
   * CA before the old one is retired ({@link #renew}; the new CA is accepted only over its
   * cross-certificate).
   *
   * @return the new certificate, or empty when the portal's CA is the pinned one
   */
  public Optional<X509Certificate> renewIfCaRotated() {
    try {
      portal.caPem();
      return Optional.empty();
    } catch (PortalException e) {
      if (!PortalException.CA_CHANGED.equals(e.code())) {
        throw e;
      }
    }
    return Optional.of(renew());
  }

  /**
   * Renews the certificate when a third of its validity, or 30 days, whichever is less, is left.
   *
   * @return the new certificate, or empty when no renewal was due
   */
  public Optional<X509Certificate> renewIfDue() {
    X509Certificate certificate = identity.certificate();
    Duration lifetime =
        Duration.between(
            certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
    return renewIfDue(min(lifetime.dividedBy(3), RENEWAL_MARGIN));
  }

  /**
   * Renews the certificate now. During a portal CA rotation the answer carries the new CA: {@link
   * PortalClient#renew} accepts it only when proven by the pinned CA's cross-certificate, and the
   * profile then stores the new certificate and the new CA together; from then on the profile pins
   * the new CA. This object keeps the identity it was opened with: open the profile again ({@link
   * #open}) to present the new certificate and pin the new CA.
   *
   * @return the new certificate, stored in the profile
   */
  public X509Certificate renew() {
    KeyPair keys = new KeyPair(identity.certificate().getPublicKey(), identity.key());
    String csr =
        CertificateRequest.create(
                keys, identity.settings().commonName(), Optional.of(identity.settings().instance()))
            .pem();
    CertificateResponse answer = portal.renew(csr);
    X509Certificate renewed;
    X509Certificate ca;
    try {
      renewed = Pem.parseCertificate(answer.certificate());
      ca = Pem.parseCertificate(answer.caCertificate());
    } catch (CryptoException | IllegalArgumentException e) {
      throw new FlowException(
          FlowException.BAD_CERTIFICATE, "the renewed certificate is unreadable");
    }
    try {
      profile.replaceCertificate(renewed, ca);
    } catch (io.doorpair.welcome.profile.ProfileException e) {
      throw new FlowException(FlowException.BAD_CERTIFICATE, e.getMessage());
    }
    return renewed;
  }

  /**
   * The user's devices (apps and gateways).
   *
   * @return the devices
   */
  public List<DeviceInfo> devices() {
    return portal.devices().devices();
  }

  /**
   * Revokes one of the user's devices (a stolen phone).
   *
   * @param serialHex its certificate serial, lowercase hex
   */
  public void revoke(String serialHex) {
    portal.revokeDevice(serialHex);
  }

  /**
   * Guests of one of the user's gateways.
   *
   * @param domain the gateway DOMAIN (owned)
   * @return the guests
   */
  public List<GuestInfo> guests(String domain) {
    return portal.guests(domain);
  }

  /**
   * Invites a guest to one of the user's gateways.
   *
   * @param domain the gateway DOMAIN (owned)
   * @param username the guest's portal username
   * @return true when newly invited, false when already a guest
   */
  public boolean inviteGuest(String domain, String username) {
    return portal.inviteGuest(domain, username);
  }

  /**
   * Removes a guest.
   *
   * @param domain the gateway DOMAIN (owned)
   * @param username the guest
   */
  public void removeGuest(String domain, String username) {
    portal.removeGuest(domain, username);
  }

  // --- steps 10 and 11 ------------------------------------------------------------------------

  private ReceivedAccount receive(String domain, AccessStatus status) {
    AccessStatus.Account account =
        status
            .account()
            .orElseThrow(
                () ->
                    new FlowException(
                        FlowException.BAD_ACCOUNT, "an approved answer without its account"));
    if (!status.domain().equals(domain)) {
      throw new FlowException(FlowException.BAD_ACCOUNT, "the portal answered for another gateway");
    }
    if (!account.gruu().equalsIgnoreCase(identity.settings().gruu())) {
      throw new FlowException(
          FlowException.BAD_ACCOUNT, "the account was made for another device (GRUU differs)");
    }
    try {
      SipPasswordCipher.decrypt(account.encryptedPassword(), identity.key());
    } catch (CryptoException | IllegalArgumentException e) {
      throw new FlowException(
          FlowException.BAD_ACCOUNT,
          "the account's password does not decrypt with this device's key: not stored");
    }
    // Step 11: the salt is drawn now, after the account (and so the key it was made for) is fixed.
    SecurityCode code = SecurityCode.generate(PublicKeyHash.of(identity.certificate()), random);
    StoredAccount stored;
    try {
      stored =
          new StoredAccount(
              domain,
              status.requestId(),
              account.sipUsername(),
              account.encryptedPassword(),
              account.gruu(),
              status.gatewayUri(),
              status.sipDomain(),
              code.salt());
    } catch (IllegalArgumentException e) {
      throw new FlowException(FlowException.BAD_ACCOUNT, "unusable account: " + e.getMessage());
    }
    profile.storeAccount(stored);
    return new ReceivedAccount(stored, code);
  }

  private ReceivedAccount withCode(StoredAccount account) {
    return new ReceivedAccount(
        account, SecurityCode.of(account.codeSalt(), PublicKeyHash.of(identity.certificate())));
  }

  private static boolean transientFailure(PortalException e) {
    String code = e.code();
    return code.equals(PortalException.IO)
        || code.equals(PortalException.TIMEOUT)
        || e.status() == 429
        || e.status() == 502
        || e.status() == 503
        || e.status() == 504;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PortalException(0, PortalException.CANCELLED, "cancelled while waiting to retry");
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration atLeastOneSecond(Duration d) {
    long s = Math.max(1, d.getSeconds());
    return Duration.ofSeconds(s);
  }
}
