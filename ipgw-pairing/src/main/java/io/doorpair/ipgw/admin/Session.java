package io.doorpair.ipgw.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;

/**
 * One browser's session: its id (the cookie), its CSRF token, whether the administrator logged in,
 * and a one-shot message for the next page.
 */
final class Session {
  private final String id;
  private final String csrf;
  private final boolean authenticated;
  private final Instant createdAt;
  private volatile Instant lastSeen;
  private volatile String flash;

  Session(String id, String csrf, boolean authenticated, Instant now) {
    this.id = id;
    this.csrf = csrf;
    this.authenticated = authenticated;
    this.createdAt = now;
    this.lastSeen = now;
  }

  String id() {
    return id;
  }

  String csrf() {
    return csrf;
  }

  boolean authenticated() {
    return authenticated;
  }

  Instant createdAt() {
    return createdAt;
  }

  Instant lastSeen() {
    return lastSeen;
  }

  void touch(Instant now) {
    lastSeen = now;
  }

  /** Whether {@code token} is this session's CSRF token, compared in constant time. */
  boolean csrfMatches(String token) {
    if (token == null) {
      return false;
    }
    return MessageDigest.isEqual(
        csrf.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
  }

  void flash(String message) {
    flash = message;
  }

  /** The message for the next page, once. */
  Optional<String> takeFlash() {
    String message = flash;
    flash = null;
    return Optional.ofNullable(message);
  }

  /** Never shows the id or the token. */
  @Override
  public String toString() {
    return "Session[authenticated=" + authenticated + "]";
  }
}
