package io.doorpair.ipgw.offline;

import io.doorpair.crypto.SipPassword;
import io.doorpair.ipgw.accounts.FileSync;
import io.doorpair.ipgw.outbox.Outbox;
import io.doorpair.ipgw.store.GatewayStore;
import io.doorpair.ipgw.store.OfflineAccountRow;
import io.doorpair.ipgw.store.OfflineAccountTable;
import io.doorpair.ipgw.store.OfflineState;
import io.doorpair.ipgw.store.Pairing;
import io.doorpair.ipgw.store.PairingTable;
import io.doorpair.ipgw.store.Rights;
import io.doorpair.welcome.offline.ConfirmationCode;
import io.doorpair.welcome.offline.OfflineAccount;
import io.doorpair.welcome.offline.OfflinePayload;
import io.doorpair.welcome.offline.OfflineRights;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The use cases of offline accounts (DESIGN §9): create a pending account and its QR payload, check
 * the confirmation code (5 wrong codes void it; an expired or used QR code is refused), and on the
 * right code activate it: committed with its events ({@code accounts}, then {@code acl} when the
 * person gets door calls through the portal), then the files rewritten and the b2b signalled.
 * Nothing here needs the portal: the events wait in the outbox until it is reachable.
 */
public final class OfflineAccounts {
  /** How long a QR code works. */
  public static final Duration LIFETIME = Duration.ofMinutes(10);

  /** Wrong confirmation codes allowed; the last one voids the account. */
  public static final int MAX_WRONG_CODES = 5;

  /** Offline SIP usernames: the name (57 characters at most), {@code -}, 6 hex digits. */
  private static final int NAME_PREFIX = 57;

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

  private final GatewayStore store;
  private final FileSync files;
  private final Outbox outbox;
  private final SecureRandom random;
  private final Clock clock;

  /**
   * The use cases.
   *
   * @param store the gateway store
   * @param files rewrites the password file and {@code acl.list}, signals the b2b
   * @param outbox queues the events
   * @param random for passwords, usernames and ids
   * @param clock for expiry and event times
   */
  public OfflineAccounts(
      GatewayStore store, FileSync files, Outbox outbox, SecureRandom random, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.files = Objects.requireNonNull(files, "files");
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.random = Objects.requireNonNull(random, "random");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Creates a pending account and its QR payload, valid for {@link #LIFETIME}.
   *
   * @param name the person's username ({@code [a-z0-9][a-z0-9._-]{0,63}}, lowercased here): their
   *     portal username if they have or will have one
   * @param rights what the account may do ({@code gruuOnly} is ignored)
   * @param external whether door calls also reach the person through the portal
   * @return the pending account
   * @throws OfflineException {@code bad_input}, {@code not_paired}
   */
  public synchronized OfflineAccountRow create(String name, Rights rights, boolean external) {
    Objects.requireNonNull(rights, "rights");
    String n = Objects.requireNonNull(name, "name").strip().toLowerCase(java.util.Locale.ROOT);
    if (!NAME.matcher(n).matches()) {
      throw new OfflineException(
          OfflineException.BAD_INPUT,
          "The name must be a username: a letter or digit, then up to 63 of a-z, 0-9, '.', '_'"
              + " and '-'.");
    }
    Rights r = new Rights(rights.doorCalls(), rights.openDoor(), rights.cameras(), false);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    return store.transaction(
        c -> {
          Pairing p =
              PairingTable.get(c)
                  .orElseThrow(
                      () ->
                          new OfflineException(
                              OfflineException.NOT_PAIRED,
                              "Pair the gateway first: an account needs its DOMAIN."));
          String id = hex(16);
          String sipUsername = newSipUsername(c, n);
          SipPassword password = SipPassword.generate(random);
          OfflineAccount account;
          try {
            account =
                new OfflineAccount(
                    p.domain(),
                    p.internalSipUri(),
                    n,
                    sipUsername,
                    password,
                    new OfflineRights(r.doorCalls(), r.openDoor(), r.cameras()),
                    external,
                    now.plus(LIFETIME),
                    id);
          } catch (IllegalArgumentException e) {
            throw new OfflineException(
                OfflineException.BAD_INPUT,
                "This gateway's internal SIP URI cannot go into a QR code: " + e.getMessage());
          }
          OfflineAccountRow row =
              new OfflineAccountRow(
                  id,
                  n,
                  sipUsername,
                  password,
                  r,
                  external,
                  OfflineState.PENDING,
                  0,
                  now,
                  account.expiresAt(),
                  OfflinePayload.encode(account));
          OfflineAccountTable.insert(c, row);
          return row;
        });
  }

  /**
   * The QR payload of a pending account whose QR code has not expired.
   *
   * @param id the QR code's id
   * @return the payload, empty when unknown, expired, used or void
   */
  public Optional<String> showable(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    return store
        .transaction(c -> OfflineAccountTable.get(c, id))
        .filter(a -> a.state() == OfflineState.PENDING && now.isBefore(a.expiresAt()))
        .map(OfflineAccountRow::payload);
  }

  /**
   * One account.
   *
   * @param id the QR code's id
   * @return the account
   * @throws OfflineException {@code unknown_offline_account}
   */
  public OfflineAccountRow get(String id) {
    Optional<OfflineAccountRow> a =
        id != null && ID.matcher(id).matches()
            ? store.transaction(c -> OfflineAccountTable.get(c, id))
            : Optional.empty();
    return a.orElseThrow(
        () -> new OfflineException(OfflineException.UNKNOWN, "No such offline account."));
  }

  /**
   * Every offline account, newest first.
   *
   * @return the accounts
   */
  public List<OfflineAccountRow> all() {
    return store.transaction(OfflineAccountTable::all);
  }

  /**
   * Checks the confirmation code the owner typed.
   *
   * @param id the QR code's id
   * @param typed what the owner typed (spaces and dashes ignored)
   * @return the outcome
   * @throws OfflineException {@code unknown_offline_account}, {@code qr_expired} (the account is
   *     then void), {@code qr_used}, {@code offline_void}
   */
  public synchronized ConfirmOutcome confirm(String id, String typed) {
    OfflineAccountRow a = get(id);
    Instant now = clock.instant();
    switch (a.state()) {
      case ACTIVE ->
          throw new OfflineException(
              OfflineException.USED, "This QR code was already used: the account is active.");
      case VOID ->
          throw new OfflineException(
              OfflineException.VOID,
              "This offline account is void (expired, too many wrong codes or removed): create"
                  + " a new one.");
      case PENDING -> {}
    }
    if (!now.isBefore(a.expiresAt())) {
      store.transaction(
          c -> OfflineAccountTable.move(c, a.id(), OfflineState.PENDING, OfflineState.VOID));
      throw new OfflineException(
          OfflineException.EXPIRED,
          "This QR code expired at " + a.expiresAt() + ": the account is void; create a new one.");
    }
    if (ConfirmationCode.normalize(typed).isEmpty()) {
      return new ConfirmOutcome(ConfirmOutcome.Result.MALFORMED, MAX_WRONG_CODES - a.wrongCodes());
    }
    if (ConfirmationCode.matches(ConfirmationCode.of(a.payload()), typed)) {
      boolean moved =
          store.transaction(
              c -> {
                if (!OfflineAccountTable.move(
                    c, a.id(), OfflineState.PENDING, OfflineState.ACTIVE)) {
                  return false;
                }
                outbox.queue(c, "accounts", now, payload("created_offline", a));
                if (a.external() && a.rights().doorCalls()) {
                  outbox.queue(c, "acl", now, payload("added", a));
                }
                return true;
              });
      if (!moved) {
        throw new OfflineException(
            OfflineException.USED, "This QR code was already used: the account is active.");
      }
      files.writeAccess();
      return new ConfirmOutcome(ConfirmOutcome.Result.ACTIVATED, MAX_WRONG_CODES - a.wrongCodes());
    }
    int wrong =
        store.transaction(
            c -> {
              int count = OfflineAccountTable.addWrongCode(c, a.id());
              if (count >= MAX_WRONG_CODES) {
                OfflineAccountTable.move(c, a.id(), OfflineState.PENDING, OfflineState.VOID);
              }
              return count;
            });
    return wrong >= MAX_WRONG_CODES
        ? new ConfirmOutcome(ConfirmOutcome.Result.VOID, 0)
        : new ConfirmOutcome(ConfirmOutcome.Result.WRONG, MAX_WRONG_CODES - wrong);
  }

  /**
   * Removes an active or pending account: it leaves the files at once, and an active one's removal
   * is queued for the portal.
   *
   * @param id the QR code's id
   * @throws OfflineException {@code unknown_offline_account}, {@code offline_void}
   */
  public synchronized void remove(String id) {
    OfflineAccountRow a = get(id);
    Instant now = clock.instant();
    boolean wasActive =
        store.transaction(
            c -> {
              if (OfflineAccountTable.move(c, a.id(), OfflineState.PENDING, OfflineState.VOID)) {
                return false;
              }
              if (!OfflineAccountTable.move(c, a.id(), OfflineState.ACTIVE, OfflineState.VOID)) {
                throw new OfflineException(
                    OfflineException.VOID, "This offline account is already void.");
              }
              if (a.external() && a.rights().doorCalls()) {
                outbox.queue(c, "acl", now, payload("removed", a));
              }
              outbox.queue(c, "accounts", now, payload("removed_offline", a));
              return true;
            });
    if (wasActive) {
      files.writeAccess();
    }
  }

  private String newSipUsername(Connection c, String name) throws SQLException {
    String prefix = name.length() > NAME_PREFIX ? name.substring(0, NAME_PREFIX) : name;
    while (true) {
      String candidate = prefix + "-" + hex(3);
      if (OfflineAccountTable.bySipUsername(c, candidate).isEmpty()) {
        return candidate;
      }
    }
  }

  private String hex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static Map<String, Object> payload(String action, OfflineAccountRow a) {
    Map<String, Object> rights = new LinkedHashMap<>();
    rights.put("door_calls", a.rights().doorCalls());
    rights.put("open_door", a.rights().openDoor());
    rights.put("cameras", a.rights().cameras());
    rights.put("gruu_only", false);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("action", action);
    p.put("username", a.name());
    p.put("sip_username", a.sipUsername());
    p.put("device", "offline (QR code)");
    p.put("rights", rights);
    p.put("external_access", a.external());
    p.put("qr_id", a.id());
    return p;
  }
}
