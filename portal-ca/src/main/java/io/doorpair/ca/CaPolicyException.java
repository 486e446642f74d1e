package io.doorpair.ca;

import java.util.Objects;

/**
 * A CSR that the CA's policy refuses, with a stable {@link #code()}, the HTTP status the portal
 * answers with, and an exact message.
 */
public final class CaPolicyException extends RuntimeException {
  /** A gateway CN {@code ipgw@...} whose DOMAIN is not 12 characters from {@code [a-z0-9]}. */
  public static final String BAD_DOMAIN = "bad_domain";

  /** A CN the authenticated user may not have: another user, another domain, no {@code @}. */
  public static final String CN_FORBIDDEN = "cn_forbidden";

  private final String code;
  private final int httpStatus;

  /**
   * Creates a refusal.
   *
   * @param code a stable code, such as {@value #CN_FORBIDDEN}
   * @param httpStatus the HTTP status to answer with
   * @param message the exact message
   */
  public CaPolicyException(String code, int httpStatus, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.code = Objects.requireNonNull(code, "code");
    this.httpStatus = httpStatus;
  }

  /** The stable code: {@value #BAD_DOMAIN} or {@value #CN_FORBIDDEN}. */
  public String code() {
    return code;
  }

  /** The HTTP status: 400 for {@value #BAD_DOMAIN}, 403 for {@value #CN_FORBIDDEN}. */
  public int httpStatus() {
    return httpStatus;
  }
}
