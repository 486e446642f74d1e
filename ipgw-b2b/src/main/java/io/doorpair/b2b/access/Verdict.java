package io.doorpair.b2b.access;

import io.doorpair.b2b.conf.AppAccount;
import java.util.List;

/** The answer to a request from an app. */
public sealed interface Verdict permits Verdict.Pass, Verdict.Challenge, Verdict.Forbidden {
  /**
   * The request passes.
   *
   * @param account the device's account
   */
  record Pass(AppAccount account) implements Verdict {}

  /**
   * Answer {@code 401} with these {@code WWW-Authenticate} values.
   *
   * @param headerValues the challenges
   * @param why for the log, never a secret
   */
  record Challenge(List<String> headerValues, String why) implements Verdict {
    /** Copies the list. */
    public Challenge {
      headerValues = List.copyOf(headerValues);
    }
  }

  /**
   * Answer {@code 403}.
   *
   * @param why for the log, never a secret
   */
  record Forbidden(String why) implements Verdict {}
}
