package io.doorpair.sipedge.stack;

import gov.nist.javax.sip.stack.NioTlsMessageChannel;
import gov.nist.javax.sip.stack.SSLStateMachine;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.security.cert.Certificate;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The TLS session of one NIO TLS channel, read from the channel's own {@link SSLEngine}. jain-sip
 * keeps the engine in package-private fields ({@code NioTlsMessageChannel.sslStateMachine}, {@code
 * SSLStateMachine.sslEngine}) and copies the peer certificates out of its session only at some of
 * the places where the engine reports the handshake finished (see {@link GuardedNio}); the session
 * itself always has them once the handshake completed. Missing fields (another jain-sip version)
 * fail the class's initialisation, so the stack does not start: never a silent "no certificate".
 */
final class EngineSessions {
  private static final VarHandle STATE_MACHINE;
  private static final VarHandle ENGINE;

  static {
    try {
      STATE_MACHINE =
          MethodHandles.privateLookupIn(NioTlsMessageChannel.class, MethodHandles.lookup())
              .findVarHandle(NioTlsMessageChannel.class, "sslStateMachine", SSLStateMachine.class);
      ENGINE =
          MethodHandles.privateLookupIn(SSLStateMachine.class, MethodHandles.lookup())
              .findVarHandle(SSLStateMachine.class, "sslEngine", SSLEngine.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private EngineSessions() {}

  /**
   * The current session of {@code channel}'s engine; empty when the channel has no engine (yet).
   * Before its first handshake completes, an engine's session has no peer: {@link
   * SSLSession#getPeerCertificates()} throws.
   */
  static Optional<SSLSession> of(NioTlsMessageChannel channel) {
    SSLStateMachine machine = (SSLStateMachine) STATE_MACHINE.getVolatile(channel);
    SSLEngine engine = machine == null ? null : (SSLEngine) ENGINE.getVolatile(machine);
    return engine == null ? Optional.empty() : Optional.ofNullable(engine.getSession());
  }

  /**
   * The peer chain of {@code channel}'s session: the chain its handshake verified; empty while no
   * handshake completed with a peer certificate.
   */
  static Optional<Certificate[]> peerChain(NioTlsMessageChannel channel) {
    Optional<SSLSession> session = of(channel);
    if (session.isEmpty()) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = session.get().getPeerCertificates();
      return chain == null || chain.length == 0 ? Optional.empty() : Optional.of(chain);
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }
}
