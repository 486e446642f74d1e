package io.doorpair.ipgw.admin;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin site's sessions, in memory (a restart logs everyone out): ids and CSRF tokens of 256
 * random bits, an idle timeout, an absolute lifetime, and a bound on how many exist (the oldest go
 * first), so that anonymous visitors cannot fill the memory.
 */
final class Sessions {
  /** A session unused this long is gone. */
  static final Duration IDLE = Duration.ofMinutes(30);

  /** A session older than this is gone, used or not. */
  static final Duration LIFETIME = Duration.ofHours(12);

  /** Most sessions kept at once. */
  static final int MAX = 256;

  private final Map<String, Session> byId = new ConcurrentHashMap<>();
  private final SecureRandom random;
  private final Clock clock;

  Sessions(SecureRandom random, Clock clock) {
    this.random = random;
    this.clock = clock;
  }

  /** A new session that has not logged in (it carries the login form's CSRF token). */
  Session anonymous() {
    return add(false);
  }

  /**
   * Logs in: the old session is dropped and a new one, with a new id and token, takes its place (no
   * session fixation).
   */
  Session login(Session old) {
    byId.remove(old.id());
    return add(true);
  }

  void logout(Session session) {
    byId.remove(session.id());
  }

  /** Logs every session out (the password changed). */
  void clear() {
    byId.clear();
  }

  /** The live session with this id. */
  Optional<Session> find(String id) {
    if (id == null || id.length() != 43) {
      return Optional.empty();
    }
    Session session = byId.get(id);
    if (session == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (expired(session, now)) {
      byId.remove(id);
      return Optional.empty();
    }
    session.touch(now);
    return Optional.of(session);
  }

  private Session add(boolean authenticated) {
    Instant now = clock.instant();
    byId.values().removeIf(s -> expired(s, now));
    while (byId.size() >= MAX) {
      byId.values().stream()
          .min(Comparator.comparing(Session::lastSeen))
          .ifPresent(s -> byId.remove(s.id()));
    }
    Session session = new Session(token(), token(), authenticated, now);
    byId.put(session.id(), session);
    return session;
  }

  private static boolean expired(Session s, Instant now) {
    return s.lastSeen().plus(IDLE).isBefore(now) || s.createdAt().plus(LIFETIME).isBefore(now);
  }

  private String token() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
