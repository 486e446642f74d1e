package io.doorpair.b2b.access;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The current {@link AccessPolicy}: each call reads it once when it starts (a request from an app
 * at each request), and a reload replaces it whole, so a call in progress keeps going while the
 * next one sees the new files.
 */
public final class AccessHolder {
  private final AtomicReference<AccessPolicy> current;

  /**
   * A holder.
   *
   * @param initial the policy of the files read at start
   */
  public AccessHolder(AccessPolicy initial) {
    this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
  }

  /**
   * The policy now.
   *
   * @return the policy
   */
  public AccessPolicy get() {
    return current.get();
  }

  /**
   * Replaces the policy.
   *
   * @param next the new one
   */
  public void set(AccessPolicy next) {
    current.set(Objects.requireNonNull(next, "next"));
  }
}
