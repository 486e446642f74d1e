package io.doorpair.sipedge.metrics;

/**
 * Hears what the SIP server does, for metrics. Called on the stack's threads: implementations are
 * thread-safe, quick and never block. Every method does nothing by default.
 */
public interface EdgeObserver {
  /** An observer that hears nothing. */
  EdgeObserver NONE = new EdgeObserver() {};

  /** A TLS connection failed its handshake. */
  default void handshakeFailed(HandshakeFailure reason) {}

  /** A REGISTER got its final answer {@code status} from this server. */
  default void registerAnswered(int status) {}

  /**
   * An initial INVITE got its final answer {@code status}: relayed from the called devices, or made
   * here (e.g. {@code 480} when nobody is registered, {@code 408} at timer C).
   */
  default void inviteAnswered(int status) {}

  /** {@code count} open connections were closed because a new CRL revoked their certificate. */
  default void revokedConnectionsClosed(int count) {}

  /**
   * A REGISTER was answered (after {@link #registerAnswered}), accepted or refused for a reason.
   */
  default void registerOutcome(RegisterResult result) {}

  /**
   * A request's From was not its connection's certificate: {@code 403 Bad tls client certificate}
   * (an ACK is dropped instead).
   */
  default void identityMismatch() {}

  /** A device's initial INVITE (no To tag) was admitted and goes to the proxy. */
  default void callStarted() {}
}
