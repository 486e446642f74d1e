package io.doorpair.ipgw.offline;

/**
 * What a typed confirmation code did.
 *
 * @param result the outcome
 * @param attemptsLeft wrong codes still allowed before the account is void
 */
public record ConfirmOutcome(Result result, int attemptsLeft) {
  /** The outcomes. */
  public enum Result {
    /** The right code: the account is active. */
    ACTIVATED,
    /** A wrong code, counted. */
    WRONG,
    /** The last allowed wrong code: the account is void. */
    VOID,
    /** Not 6 digits: not counted. */
    MALFORMED
  }
}
