package io.doorpair.ipgw.requests;

import io.doorpair.crypto.Pem;
import io.doorpair.crypto.SecurityCode;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.SipPasswordCipher;
import io.doorpair.ipgw.accounts.FileSync;
import io.doorpair.ipgw.ops.GatewayMetrics;
import io.doorpair.ipgw.outbox.Outbox;
import io.doorpair.ipgw.store.Account;
import io.doorpair.ipgw.store.AccountTable;
import io.doorpair.ipgw.store.GatewayStore;
import io.doorpair.ipgw.store.PortalVoidTable;
import io.doorpair.ipgw.store.RequestState;
import io.doorpair.ipgw.store.RequestTable;
import io.doorpair.ipgw.store.Rights;
import io.doorpair.ipgw.store.StoredRequest;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.http.PortalException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The owner's decisions on access requests and accounts (specification steps 8, 9, 11 and the later
 * life of an account). Every change is committed with its event in one transaction, then the files
 * are rewritten from the store ({@link FileSync}) and the b2b signalled.
 *
 * <ul>
 *   <li>{@link #approve}: a SIP password (DESIGN §5) encrypted to the request's certificate, sent
 *       with the GRUU to the portal; the account is stored, not enabled.
 *   <li>{@link #enterCode}: the owner types the app's 8-character security code, checked in
 *       constant time against the key hash computed at arrival; {@value #MAX_WRONG_CODES} wrong
 *       codes void the request; the right one enables the account (password file and {@code
 *       acl.list}).
 *   <li>{@link #deny}, {@link #setRights}, {@link #disable}, {@link #enable}, {@link #remove}.
 * </ul>
 *
 * One owner acts at a time: the methods are serialised.
 */
public final class AccessDecisions {
  /** Wrong security codes allowed per request; the last one voids it. */
  public static final int MAX_WRONG_CODES = 5;

  private static final int SIP_USER_PREFIX = 59;

  private final GatewayStore store;
  private final PortalClient portal;
  private final FileSync files;
  private final Outbox outbox;
  private final SecureRandom random;
  private final Clock clock;
  private final Runnable voidsQueued;
  private volatile GatewayMetrics metrics = new GatewayMetrics();

  /**
   * The use cases.
   *
   * @param store the gateway store
   * @param portal a client presenting the gateway certificate
   * @param files rewrites the files and signals the b2b
   * @param outbox queues the events
   * @param random for passwords, usernames and OAEP
   * @param clock for event times
   */
  public AccessDecisions(
      GatewayStore store,
      PortalClient portal,
      FileSync files,
      Outbox outbox,
      SecureRandom random,
      Clock clock) {
    this(store, portal, files, outbox, random, clock, () -> {});
  }

  /**
   * The use cases, telling the portal of the requests voided here.
   *
   * @param store the gateway store
   * @param portal a client presenting the gateway certificate
   * @param files rewrites the files and signals the b2b
   * @param outbox queues the events
   * @param random for passwords, usernames and OAEP
   * @param clock for event times
   * @param voidsQueued told after a request was queued for the portal ({@link PortalVoids#wake})
   */
  public AccessDecisions(
      GatewayStore store,
      PortalClient portal,
      FileSync files,
      Outbox outbox,
      SecureRandom random,
      Clock clock,
      Runnable voidsQueued) {
    this.voidsQueued = Objects.requireNonNull(voidsQueued, "voidsQueued");
    this.store = Objects.requireNonNull(store, "store");
    this.portal = Objects.requireNonNull(portal, "portal");
    this.files = Objects.requireNonNull(files, "files");
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.random = Objects.requireNonNull(random, "random");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Counts approvals, denials and security codes in {@code metrics} from now on.
   *
   * @param metrics the gateway's metrics
   */
  public void observe(GatewayMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * The requests waiting for the owner, oldest first.
   *
   * @return the pending requests
   */
  public List<StoredRequest> pending() {
    return store.transaction(c -> RequestTable.inState(c, RequestState.PENDING));
  }

  /**
   * The requests approved and waiting for their security code.
   *
   * @return the requests
   */
  public List<StoredRequest> awaitingCode() {
    return store.transaction(c -> RequestTable.inState(c, RequestState.APPROVED));
  }

  /**
   * Every account.
   *
   * @return the accounts
   */
  public List<Account> accounts() {
    return store.transaction(AccountTable::all);
  }

  /**
   * Approves a pending request with these rights.
   *
   * @param requestId the request
   * @param rights what the account may do
   * @return the new account, not enabled
   * @throws DecisionException {@code unknown_request}, {@code not_pending} (also when the portal no
   *     longer holds it pending: the request is then void here), or the portal's code when it
   *     refused or could not be reached (nothing changed: approve again)
   */
  public synchronized Account approve(long requestId, Rights rights) {
    Objects.requireNonNull(rights, "rights");
    StoredRequest request = require(requestId);
    if (request.state() != RequestState.PENDING) {
      throw new DecisionException(
          DecisionException.NOT_PENDING, "request " + requestId + " is not pending", null);
    }
    X509Certificate certificate = Pem.parseCertificate(request.certificatePem());
    SipPassword password = SipPassword.generate(random);
    String sipUsername = store.transaction(c -> newSipUsername(c, request.username()));
    String ciphertext = SipPasswordCipher.encrypt(password, certificate.getPublicKey(), random);
    try {
      portal.approve(requestId, sipUsername, ciphertext, request.gruu());
    } catch (PortalException e) {
      if (e.status() == 409) {
        store.transaction(
            c -> {
              RequestTable.setState(c, requestId, RequestState.VOID);
              return null;
            });
        throw new DecisionException(
            DecisionException.NOT_PENDING,
            "the portal no longer holds request " + requestId + " pending; the app must ask again",
            e);
      }
      throw new DecisionException(
          e.code(), "the portal refused the approval: " + e.getMessage(), e);
    }
    Instant now = clock.instant();
    Account account =
        new Account(
            sipUsername,
            requestId,
            request.username(),
            request.friendlyName(),
            request.gruu(),
            password,
            rights,
            false,
            now);
    store.transaction(
        c -> {
          AccountTable.insert(c, account);
          RequestTable.setState(c, requestId, RequestState.APPROVED);
          outbox.queue(c, "accounts", now, payload("approved", account));
          return null;
        });
    metrics.approved();
    return account;
  }

  /**
   * Denies a pending request.
   *
   * @param requestId the request
   * @throws DecisionException {@code unknown_request}, {@code not_pending}, or the portal's code
   */
  public synchronized void deny(long requestId) {
    StoredRequest request = require(requestId);
    if (request.state() != RequestState.PENDING) {
      throw new DecisionException(
          DecisionException.NOT_PENDING, "request " + requestId + " is not pending", null);
    }
    try {
      portal.deny(requestId);
    } catch (PortalException e) {
      if (e.status() != 409) {
        throw new DecisionException(
            e.code(), "the portal refused the denial: " + e.getMessage(), e);
      }
    }
    store.transaction(
        c -> {
          RequestTable.setState(c, requestId, RequestState.DENIED);
          return null;
        });
    metrics.denied();
  }

  /**
   * Checks the security code the owner typed for an approved request.
   *
   * @param requestId the request
   * @param typed what the owner typed (case, spaces and dashes ignored)
   * @return the outcome
   * @throws DecisionException {@code unknown_request}, {@code not_awaiting_code} (not approved,
   *     already enabled, or void)
   */
  public synchronized CodeOutcome enterCode(long requestId, String typed) {
    Objects.requireNonNull(typed, "typed");
    StoredRequest request = require(requestId);
    if (request.state() != RequestState.APPROVED) {
      throw new DecisionException(
          DecisionException.NOT_AWAITING_CODE,
          "request " + requestId + " is not waiting for a security code",
          null);
    }
    if (SecurityCode.normalize(typed).isEmpty()) {
      metrics.securityCode("malformed");
      return new CodeOutcome(CodeOutcome.Result.MALFORMED, MAX_WRONG_CODES - request.wrongCodes());
    }
    Instant now = clock.instant();
    if (SecurityCode.matches(typed, request.keyHash())) {
      store.transaction(
          c -> {
            Account account = accountOf(c, requestId);
            AccountTable.setEnabled(c, account.sipUsername(), true);
            RequestTable.setState(c, requestId, RequestState.ENABLED);
            outbox.queue(c, "acl", now, payload("added", account));
            return null;
          });
      files.writeAccess();
      metrics.securityCode("enabled");
      return new CodeOutcome(CodeOutcome.Result.ENABLED, MAX_WRONG_CODES - request.wrongCodes());
    }
    int wrong =
        store.transaction(
            c -> {
              int count = RequestTable.addWrongCode(c, requestId);
              if (count >= MAX_WRONG_CODES) {
                Account account = accountOf(c, requestId);
                AccountTable.delete(c, account.sipUsername());
                RequestTable.setState(c, requestId, RequestState.VOID);
                PortalVoidTable.queue(c, requestId, now);
                outbox.queue(c, "accounts", now, payload("voided", account));
              }
              return count;
            });
    metrics.securityCode(wrong >= MAX_WRONG_CODES ? "void" : "wrong");
    if (wrong >= MAX_WRONG_CODES) {
      voidsQueued.run();
      return new CodeOutcome(CodeOutcome.Result.VOID, 0);
    }
    return new CodeOutcome(CodeOutcome.Result.WRONG, MAX_WRONG_CODES - wrong);
  }

  /**
   * Changes an account's rights; an enabled account's files follow.
   *
   * @param sipUsername the account
   * @param rights the new rights
   * @throws DecisionException {@code unknown_account}
   */
  public synchronized void setRights(String sipUsername, Rights rights) {
    Objects.requireNonNull(rights, "rights");
    Instant now = clock.instant();
    Account account =
        store.transaction(
            c -> {
              Account a = requireAccount(c, sipUsername);
              AccountTable.setRights(c, sipUsername, rights);
              Account changed =
                  new Account(
                      a.sipUsername(),
                      a.requestId(),
                      a.username(),
                      a.friendlyName(),
                      a.gruu(),
                      a.password(),
                      rights,
                      a.enabled(),
                      a.createdAt());
              outbox.queue(c, "acl", now, payload("rights_changed", changed));
              return changed;
            });
    if (account.enabled()) {
      files.writeAccess();
    }
  }

  /**
   * Disables an enabled account: out of the password file and {@code acl.list}, kept in the store.
   *
   * @param sipUsername the account
   * @throws DecisionException {@code unknown_account}, or {@code not_awaiting_code} for an account
   *     whose security code was never entered
   */
  public synchronized void disable(String sipUsername) {
    switchAccount(sipUsername, false, "disabled");
  }

  /**
   * Enables again an account that was disabled (its security code was entered before).
   *
   * @param sipUsername the account
   * @throws DecisionException {@code unknown_account}, or {@code not_awaiting_code} for an account
   *     whose security code was never entered
   */
  public synchronized void enable(String sipUsername) {
    switchAccount(sipUsername, true, "enabled");
  }

  private void switchAccount(String sipUsername, boolean enabled, String action) {
    Instant now = clock.instant();
    store.transaction(
        c -> {
          Account a = requireAccount(c, sipUsername);
          Optional<StoredRequest> request = RequestTable.get(c, a.requestId());
          if (request.isEmpty() || request.get().state() != RequestState.ENABLED) {
            throw new DecisionException(
                DecisionException.NOT_AWAITING_CODE,
                "account " + sipUsername + " was never enabled by its security code",
                null);
          }
          AccountTable.setEnabled(c, sipUsername, enabled);
          outbox.queue(c, "acl", now, payload(action, a));
          return null;
        });
    files.writeAccess();
  }

  /**
   * Removes a device's account (a stolen phone): its password line and GRUU leave the files at
   * once; the request is void here and queued to be voided at the portal ({@link PortalVoids}), so
   * the app no longer gets the password and must ask again.
   *
   * @param sipUsername the account
   * @throws DecisionException {@code unknown_account}
   */
  public synchronized void remove(String sipUsername) {
    Instant now = clock.instant();
    store.transaction(
        c -> {
          Account a = requireAccount(c, sipUsername);
          AccountTable.delete(c, sipUsername);
          RequestTable.setState(c, a.requestId(), RequestState.VOID);
          PortalVoidTable.queue(c, a.requestId(), now);
          outbox.queue(c, "acl", now, payload("removed", a));
          return null;
        });
    voidsQueued.run();
    files.writeAccess();
  }

  private StoredRequest require(long requestId) {
    return store
        .transaction(c -> RequestTable.get(c, requestId))
        .orElseThrow(
            () ->
                new DecisionException(
                    DecisionException.UNKNOWN_REQUEST, "no request " + requestId, null));
  }

  private static Account requireAccount(Connection c, String sipUsername) throws SQLException {
    return AccountTable.get(c, Objects.requireNonNull(sipUsername, "sipUsername"))
        .orElseThrow(
            () ->
                new DecisionException(
                    DecisionException.UNKNOWN_ACCOUNT, "no account " + sipUsername, null));
  }

  private static Account accountOf(Connection c, long requestId) throws SQLException {
    return AccountTable.forRequest(c, requestId)
        .orElseThrow(() -> new SQLException("approved request " + requestId + " has no account"));
  }

  /**
   * A SIP username for a new device of {@code username}: the portal username (at most 59
   * characters) then {@code -} and 4 random hex digits, unused on this gateway.
   */
  private String newSipUsername(Connection c, String username) throws SQLException {
    String prefix =
        username.length() > SIP_USER_PREFIX ? username.substring(0, SIP_USER_PREFIX) : username;
    while (true) {
      byte[] bytes = new byte[2];
      random.nextBytes(bytes);
      String candidate = prefix + "-" + HexFormat.of().formatHex(bytes);
      if (AccountTable.get(c, candidate).isEmpty()) {
        return candidate;
      }
    }
  }

  private static Map<String, Object> payload(String action, Account a) {
    Map<String, Object> rights = new LinkedHashMap<>();
    rights.put("door_calls", a.rights().doorCalls());
    rights.put("open_door", a.rights().openDoor());
    rights.put("cameras", a.rights().cameras());
    rights.put("gruu_only", a.rights().gruuOnly());
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("action", action);
    p.put("username", a.username());
    p.put("sip_username", a.sipUsername());
    p.put("device", a.friendlyName());
    p.put("rights", rights);
    return p;
  }
}
