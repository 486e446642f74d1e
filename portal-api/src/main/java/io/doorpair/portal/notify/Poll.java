package io.doorpair.portal.notify;

import java.util.Objects;

/**
 * One look at the database by a long-poll.
 *
 * @param value the answer if the poll ends now
 * @param ready true if it should end now (something new, or decided); false to keep waiting
 */
public record Poll<T>(T value, boolean ready) {
  public Poll {
    Objects.requireNonNull(value, "value");
  }

  /** An answer worth sending at once. */
  public static <T> Poll<T> ready(T value) {
    return new Poll<>(value, true);
  }

  /** An answer to send only if nothing better comes before the deadline. */
  public static <T> Poll<T> waiting(T value) {
    return new Poll<>(value, false);
  }
}
