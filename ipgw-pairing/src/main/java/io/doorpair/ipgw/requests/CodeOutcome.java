package io.doorpair.ipgw.requests;

/**
 * What a typed security code did.
 *
 * @param result the outcome
 * @param attemptsLeft wrong codes still allowed before the request is void
 */
public record CodeOutcome(Result result, int attemptsLeft) {
  /** The outcomes. */
  public enum Result {
    /** The right code: the account is enabled and in the files. */
    ENABLED,
    /** A wrong code; counted. */
    WRONG,
    /** Not 8 characters of a code (4 digits, 4 hex): not counted, nothing changed. */
    MALFORMED,
    /** The last allowed wrong code: the request is void and its account removed. */
    VOID
  }
}
