package io.doorpair.portal.users;

import io.doorpair.crypto.digest.DigestAlgorithm;
import io.doorpair.crypto.digest.Ha1;
import io.doorpair.portal.store.CertificateRecord;
import io.doorpair.portal.store.PortalStore;
import io.doorpair.portal.store.UserRecord;
import java.math.BigInteger;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Creates, updates, lists and deletes portal users. Passwords are turned into HA1 values for each
 * digest algorithm at once and wiped; the password itself is never stored.
 */
public final class UserAdmin {
  /** Shortest password accepted. */
  public static final int MIN_PASSWORD_LENGTH = 8;

  private static final int MAX_PASSWORD_LENGTH = 256;

  private final PortalStore store;
  private final String realm;
  private final Clock clock;
  private final Consumer<List<BigInteger>> afterRevocation;

  /** Without a revocation follow-up (nothing waits on this store). */
  public UserAdmin(PortalStore store, String realm, Clock clock) {
    this(store, realm, clock, serials -> {});
  }

  /**
   * @param afterRevocation called, after a user's deletion committed, with the serials it revoked
   *     (voids their pending access requests and ends their long-polls)
   */
  public UserAdmin(
      PortalStore store, String realm, Clock clock, Consumer<List<BigInteger>> afterRevocation) {
    this.store = store;
    this.realm = realm;
    this.clock = clock;
    this.afterRevocation = afterRevocation;
  }

  /** Adds a user; the password array is wiped before this returns. */
  public UserRecord add(String username, char[] password) {
    try {
      String name = Usernames.requireNew(username);
      checkPassword(password);
      UserRecord user =
          new UserRecord(
              name,
              ha1(DigestAlgorithm.SHA_256, name, password),
              ha1(DigestAlgorithm.MD5, name, password),
              clock.instant());
      store.createUser(user);
      return user;
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /** Sets a new password; returns false if there is no such user. Wipes the password. */
  public boolean changePassword(String username, char[] password) {
    try {
      String name = canonicalOrThrow(username);
      checkPassword(password);
      return store.updateUserHa1(
          name,
          ha1(DigestAlgorithm.SHA_256, name, password),
          ha1(DigestAlgorithm.MD5, name, password));
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /** Deletes a user and revokes every certificate of theirs; false if there is no such user. */
  public boolean delete(String username) {
    String name = canonicalOrThrow(username);
    List<BigInteger> live =
        store.listCertificatesOf(name).stream()
            .filter(c -> !c.revoked())
            .map(CertificateRecord::serial)
            .toList();
    if (!store.deleteUser(name, clock.instant())) {
      return false;
    }
    afterRevocation.accept(live);
    return true;
  }

  public List<UserRecord> list() {
    return store.listUsers();
  }

  private static String canonicalOrThrow(String username) {
    return Usernames.canonical(username)
        .orElseThrow(() -> new IllegalArgumentException("not a valid username: " + username));
  }

  private static void checkPassword(char[] password) {
    if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
      throw new IllegalArgumentException(
          "a password is " + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_LENGTH + " characters");
    }
    for (char c : password) {
      if (Character.isISOControl(c)) {
        throw new IllegalArgumentException("a password may not contain control characters");
      }
    }
  }

  private String ha1(DigestAlgorithm algorithm, String name, char[] password) {
    return Ha1.compute(algorithm, name, realm, password).hex();
  }
}
