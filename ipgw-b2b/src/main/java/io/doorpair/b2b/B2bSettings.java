package io.doorpair.b2b;

import io.doorpair.b2b.upstream.Backoff;
import java.time.Duration;
import java.util.Objects;

/**
 * The b2b's tunables; the files of DESIGN §6 say everything else.
 *
 * @param registerExpires the expiry asked of the portal registrar (default 600 s; refreshed at half
 *     what it grants)
 * @param keepAlive how often a CRLF CRLF keep-alive goes to the portal (default 30 s)
 * @param backoff waits between attempts after a failure or a loss (default 0.5 s doubling to 30 s,
 *     with jitter)
 * @param embeddedInternalServer whether to run the embedded internal SIP server at {@code
 *     internal-sip-uri} (default true; false when a real Flexisip listens there)
 * @param ackWait how long a 2xx the bridge sent waits for its ACK before both legs are hung up
 *     (default 64*T1 = 32 s, RFC 3261 §13.3.1.4; tests shorten it)
 */
public record B2bSettings(
    Duration registerExpires,
    Duration keepAlive,
    Backoff backoff,
    boolean embeddedInternalServer,
    Duration ackWait) {
  /** 64*T1 with T1 = 500 ms (RFC 3261 §13.3.1.4). */
  public static final Duration DEFAULT_ACK_WAIT = Duration.ofMillis(64 * 500);

  /** The defaults. */
  public static final B2bSettings DEFAULT =
      new B2bSettings(Duration.ofSeconds(600), Duration.ofSeconds(30), Backoff.DEFAULT, true);

  /**
   * Settings with the default ACK wait.
   *
   * @param registerExpires the expiry asked of the portal registrar
   * @param keepAlive how often a keep-alive goes to the portal
   * @param backoff waits between attempts
   * @param embeddedInternalServer whether to run the embedded internal SIP server
   */
  public B2bSettings(
      Duration registerExpires,
      Duration keepAlive,
      Backoff backoff,
      boolean embeddedInternalServer) {
    this(registerExpires, keepAlive, backoff, embeddedInternalServer, DEFAULT_ACK_WAIT);
  }

  /**
   * These settings with another ACK wait.
   *
   * @param wait how long a 2xx waits for its ACK
   * @return the settings
   */
  public B2bSettings withAckWait(Duration wait) {
    return new B2bSettings(registerExpires, keepAlive, backoff, embeddedInternalServer, wait);
  }

  /**
   * These settings with or without the embedded internal SIP server.
   *
   * @param embedded whether to run it
   * @return the settings
   */
  public B2bSettings withEmbeddedInternalServer(boolean embedded) {
    return new B2bSettings(registerExpires, keepAlive, backoff, embedded, ackWait);
  }

  /** Checks the values. */
  public B2bSettings {
    Objects.requireNonNull(registerExpires, "registerExpires");
    Objects.requireNonNull(keepAlive, "keepAlive");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(ackWait, "ackWait");
    if (ackWait.toMillis() < 100) {
      throw new IllegalArgumentException("ackWait must be at least 100 ms");
    }
    if (registerExpires.toSeconds() < 60 || registerExpires.toSeconds() > 3600) {
      throw new IllegalArgumentException("registerExpires must be 60 to 3600 s");
    }
    if (keepAlive.toMillis() < 100) {
      throw new IllegalArgumentException("keepAlive must be at least 100 ms");
    }
  }
}
