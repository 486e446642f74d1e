package io.doorpair.b2b.localsip;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is registered at the internal SIP server: one contact per account (a door station or the
 * b2b), replaced by each REGISTER, gone at expiry or on {@code Expires: 0}. At most {@link
 * #MAX_ENTRIES} accounts are held (the password file bounds them anyway).
 */
public final class Registrations {
  /** The most registrations held. */
  public static final int MAX_ENTRIES = 10_000;

  /** Expiry limits (seconds): asked values are clamped to them. */
  public static final Duration MIN_EXPIRES = Duration.ofSeconds(60);

  /** The longest expiry granted. */
  public static final Duration MAX_EXPIRES = Duration.ofSeconds(3600);

  private final Clock clock;
  private final Map<String, Contact> contacts = new ConcurrentHashMap<>();

  /**
   * One registration.
   *
   * @param user the account's user part, lowercase
   * @param contact the Contact URI registered
   * @param transport {@code udp} or {@code tcp}, as the REGISTER came
   * @param source the {@code ip:port} the REGISTER came from
   * @param expiresAt when it ends
   */
  public record Contact(
      String user, String contact, String transport, String source, Instant expiresAt) {
    /** Checks presence. */
    public Contact {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(contact, "contact");
      Objects.requireNonNull(transport, "transport");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }
  }

  /**
   * An empty table.
   *
   * @param clock for expiry
   */
  public Registrations(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Clamps an asked expiry to the limits; 0 stays 0 (un-register).
   *
   * @param askedSeconds the asked value, or -1 when none was given (3600)
   * @return the granted seconds
   */
  public static long grant(long askedSeconds) {
    if (askedSeconds == 0) {
      return 0;
    }
    if (askedSeconds < 0) {
      return MAX_EXPIRES.toSeconds();
    }
    return Math.max(MIN_EXPIRES.toSeconds(), Math.min(MAX_EXPIRES.toSeconds(), askedSeconds));
  }

  /**
   * Records or removes a registration.
   *
   * @param user the authenticated user
   * @param contact the Contact URI
   * @param transport how it came
   * @param source from where
   * @param seconds granted seconds; 0 removes
   * @return false when the table is full
   */
  public boolean put(String user, String contact, String transport, String source, long seconds) {
    String key = user.toLowerCase(Locale.ROOT);
    if (seconds == 0) {
      contacts.remove(key);
      return true;
    }
    if (contacts.size() >= MAX_ENTRIES && !contacts.containsKey(key)) {
      return false;
    }
    contacts.put(
        key, new Contact(key, contact, transport, source, clock.instant().plusSeconds(seconds)));
    return true;
  }

  /**
   * The live registration of a user.
   *
   * @param user the user part
   * @return the contact, if registered and not expired
   */
  public Optional<Contact> of(String user) {
    String key = user.toLowerCase(Locale.ROOT);
    Contact c = contacts.get(key);
    if (c == null) {
      return Optional.empty();
    }
    if (!c.expiresAt().isAfter(clock.instant())) {
      contacts.remove(key, c);
      return Optional.empty();
    }
    return Optional.of(c);
  }

  /**
   * Forgets the registrations of users no longer admitted (after a reload).
   *
   * @param admitted whether a user (lowercase user part) may stay registered
   * @return how many were removed
   */
  public int retain(java.util.function.Predicate<String> admitted) {
    int removed = 0;
    for (Contact c : List.copyOf(contacts.values())) {
      if (!admitted.test(c.user()) && contacts.remove(c.user(), c)) {
        removed++;
      }
    }
    return removed;
  }

  /**
   * The live registrations.
   *
   * @return a snapshot
   */
  public List<Contact> all() {
    Instant now = clock.instant();
    return contacts.values().stream().filter(c -> c.expiresAt().isAfter(now)).toList();
  }
}
