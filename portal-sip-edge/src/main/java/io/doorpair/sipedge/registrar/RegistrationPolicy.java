package io.doorpair.sipedge.registrar;

import java.time.Duration;
import java.util.Objects;

/**
 * How long bindings may last.
 *
 * @param minimum the shortest expiry accepted; shorter non-zero ones get {@code 423 Interval Too
 *     Brief} with {@code Min-Expires} (default 60 s)
 * @param maximum the longest expiry granted; longer ones are cut to it (default 3600 s)
 * @param fallback the expiry when the REGISTER states none (default 3600 s)
 */
public record RegistrationPolicy(Duration minimum, Duration maximum, Duration fallback) {
  /** The defaults: 60 s, 3600 s, 3600 s. */
  public static final RegistrationPolicy DEFAULT =
      new RegistrationPolicy(Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofHours(1));

  /**
   * Checks the durations.
   *
   * @throws IllegalArgumentException unless {@code 1 s <= minimum <= fallback <= maximum}
   */
  public RegistrationPolicy {
    Objects.requireNonNull(minimum, "minimum");
    Objects.requireNonNull(maximum, "maximum");
    Objects.requireNonNull(fallback, "fallback");
    if (minimum.getSeconds() < 1
        || minimum.compareTo(fallback) > 0
        || fallback.compareTo(maximum) > 0) {
      throw new IllegalArgumentException(
          "registration expiry needs 1 s <= minimum <= fallback <= maximum");
    }
  }
}
