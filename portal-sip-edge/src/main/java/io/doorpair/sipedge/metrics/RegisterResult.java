package io.doorpair.sipedge.metrics;

import java.util.Locale;

/**
 * How a REGISTER ended, for the {@code outcome} label: accepted, or the reason it was refused. A
 * fixed set: never a user, a certificate subject or a reason phrase a client could choose.
 */
public enum RegisterResult {
  /** {@code 200}: the binding was made, refreshed or removed. */
  ACCEPTED,
  /** {@code 403 Bad tls client certificate}: From is not the certificate's. */
  IDENTITY_MISMATCH,
  /** {@code 403 Certificate revoked}: revoked after its connection opened. */
  REVOKED,
  /** {@code 403}: To differs from From (a third-party registration). */
  THIRD_PARTY,
  /** {@code 403}: a {@code +sip.instance} the certificate does not bind. */
  WRONG_INSTANCE,
  /** {@code 403}: a SIP node certificate tried to register. */
  NODE_CERTIFICATE,
  /** {@code 423 Interval Too Brief}. */
  INTERVAL_TOO_BRIEF,
  /** {@code 503}: the bindings store (Redis) did not answer. */
  STORE_UNAVAILABLE,
  /** {@code 400}: a repeated single-instance header, or another malformed request. */
  MALFORMED,
  /** Any other refusal. */
  OTHER;

  /** The label value: {@code accepted}, {@code identity_mismatch}, .... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
