package io.doorpair.sipedge.stack;

import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * The one place where jain-sip-ri 1.3.0-91's string-keyed stack properties are set for the portal
 * SIP server. Each choice and the trap it avoids (see {@code ../shared/notes/jain-sip.md}):
 *
 * <ul>
 *   <li>{@code MESSAGE_PROCESSOR_FACTORY = }{@link GuardedNio}: the NIO processors (the blocking
 *       ones cost a thread per connection) plus a handshake deadline of {@link #handshakeMillis()}
 *       on TLS, which the stack does not enforce under NIO;
 *   <li>{@code ROUTER_PATH = }{@link FlowRouter}: every request goes to the flow the proxy named
 *       for it, never to its Request-URI or Route (the default router would dial a client's private
 *       Contact address); {@link GuardedNio} also refuses any outgoing connection;
 *   <li>{@code SECURITY_MANAGER_PROVIDER = }{@link EdgeSecurityProvider}: our key manager (server
 *       certificate) and trust manager (portal CA only, never {@code cacerts}); without it the
 *       stack reads {@code javax.net.ssl.*} files;
 *   <li>{@code MESSAGE_PARSER_FACTORY = }{@link SingleHeaderGuard}: the stack's parser, plus a mark
 *       on messages that repeat From, To, Call-ID, CSeq... (the stack keeps the first and silently
 *       drops the rest);
 *   <li>{@code TLS_CLIENT_AUTH_TYPE = Enabled}: the engine <em>needs</em> a client certificate;
 *   <li>{@code TLS_CLIENT_PROTOCOLS = TLSv1.3, TLSv1.2}: the stack's default is TLS 1.2/1.1/1.0 and
 *       the NIO engine uses this list for the server side too;
 *   <li>{@code ENABLED_CIPHER_SUITES}: {@link #CIPHER_SUITES}, AEAD with forward secrecy only (the
 *       stack's default is RSA key exchange, 3DES and anonymous DH);
 *   <li>{@code SSL_RENEGOTIATION_ENABLED = false} (CVE-2011-1473);
 *   <li>{@code MAX_MESSAGE_SIZE}: {@link #maxMessageSize()} (the default is unlimited);
 *   <li>{@code AUTOMATIC_DIALOG_SUPPORT = off}: a proxy/registrar keeps no dialogs;
 *   <li>{@code REENTRANT_LISTENER = true} with {@code THREAD_POOL_SIZE}: requests are handled by a
 *       bounded pool in parallel (our listener is thread-safe);
 *   <li>{@code MAX_SERVER_TRANSACTIONS = }{@link #MAX_SERVER_TRANSACTIONS}: the stack's default is
 *       an unbounded table; above 80% of this it starts dropping new requests;
 *   <li>{@code NIO_MAX_SOCKET_IDLE_TIME}: idle connections closed after {@link #idleMillis()} (the
 *       default is two hours; the stack's reaper runs every {@code idleMillis}, so a silent
 *       connection goes between one and two idle times after its last byte);
 *   <li>{@code RELIABLE_CONNECTION_KEEP_ALIVE_TIMEOUT}: {@link #keepAliveTimeoutSeconds()}; the
 *       stack answers every RFC 5626 CRLFCRLF ping with CRLF, and when this is above 0 a flow that
 *       pinged once and then sends no further ping for that long is closed (a flow that never pings
 *       is left to the idle timeout); 0 writes {@code -1}, the stack's "off" (its own 0 means 840
 *       s);
 *   <li>{@link GuardedNio}'s own properties: at most {@link #maxConnections()} open TLS connections
 *       (further ones are closed as soon as they are accepted) and at most {@link
 *       #maxConnectionsPerCertificate()} per client certificate (counted when the handshake
 *       completes; the newest over the cap is closed);
 *   <li>{@code TRACE_LEVEL = 0}: the stack's own log4j logging off; we log through SLF4J;
 *   <li>{@code USE_DIRECT_BUFFERS = false}: the NIO TLS channel allocates a new packet-sized buffer
 *       (about 16 kB) for every message it encrypts or decrypts; as direct buffers each one is a
 *       native allocation, zeroed, with a cleaner, freed only after a GC; heap buffers cost a
 *       young-generation allocation;
 *   <li>{@code LINGER_TIMER = 0}: a terminated transaction leaves the stack's tables at once
 *       instead of 8 s later. The linger absorbs retransmissions, which only unreliable transports
 *       have (every connection here is TLS, where RFC 3261 sets timers I, J and K to 0); at 500
 *       calls/s the 8 s held about 4,000 server transactions and 8,000 requests, about 90 MB of old
 *       generation, whose collections were the calls' p99. The value is a static of the stack
 *       class, so it holds for every jain-sip stack in the JVM.
 * </ul>
 *
 * @param stackName the stack's name (appears in its thread names)
 * @param maxMessageSize the largest SIP message accepted, bytes (default 65536; the stack raises
 *     anything under 4096 to 4096)
 * @param threadPoolSize the threads that run the listener (default 8)
 * @param idleMillis how long a connection may stay silent before it is closed, ms (default 600000)
 * @param handshakeMillis how long a new TLS connection may take to complete its handshake, ms
 *     (default 10000)
 * @param maxConnections the most TLS connections open at once, handshaking ones included (default
 *     10000)
 * @param maxConnectionsPerCertificate the most connections open at once with one client certificate
 *     (default 8: a device keeps one, a few more cover reconnects)
 * @param keepAliveTimeoutSeconds how long a flow that sent an RFC 5626 keep-alive may go without
 *     the next one, seconds; 0 turns it off (default 0)
 */
public record StackSettings(
    String stackName,
    int maxMessageSize,
    int threadPoolSize,
    long idleMillis,
    long handshakeMillis,
    int maxConnections,
    int maxConnectionsPerCertificate,
    int keepAliveTimeoutSeconds) {
  /** The cipher suites offered, TLS 1.3 first, then TLS 1.2 ECDHE with AES-GCM or ChaCha20. */
  public static final List<String> CIPHER_SUITES =
      List.of(
          "TLS_AES_256_GCM_SHA384",
          "TLS_AES_128_GCM_SHA256",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  /** The server transaction table's high-water mark (new requests dropped above it). */
  public static final int MAX_SERVER_TRANSACTIONS = 50_000;

  /** The protocols allowed, newest first. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /** The defaults described on the components. */
  public static final StackSettings DEFAULT =
      new StackSettings("portal-sip", 65536, 8, 600_000, 10_000, 10_000, 8, 0);

  /** The given values with the default connection caps and keep-alive timeout. */
  public StackSettings(
      String stackName,
      int maxMessageSize,
      int threadPoolSize,
      long idleMillis,
      long handshakeMillis) {
    this(stackName, maxMessageSize, threadPoolSize, idleMillis, handshakeMillis, 10_000, 8, 0);
  }

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException for an empty name, a message size under 4096 or over 1 MiB, a
   *     thread pool under 1 or over 256, an idle time under 1 s, a handshake deadline outside 100
   *     ms to 2 min, a connection cap under 1 or over 1000000, a per-certificate cap under 1 or
   *     over the connection cap, or a keep-alive timeout under 0 or over 1 day
   */
  public StackSettings {
    Objects.requireNonNull(stackName, "stackName");
    if (stackName.isBlank()) {
      throw new IllegalArgumentException("stack name is empty");
    }
    if (maxMessageSize < 4096 || maxMessageSize > 1 << 20) {
      throw new IllegalArgumentException("max message size must be 4096 to 1048576 bytes");
    }
    if (threadPoolSize < 1 || threadPoolSize > 256) {
      throw new IllegalArgumentException("thread pool size must be 1 to 256");
    }
    if (idleMillis < 1000) {
      throw new IllegalArgumentException("idle time must be at least 1000 ms");
    }
    if (handshakeMillis < 100 || handshakeMillis > 120_000) {
      throw new IllegalArgumentException("handshake deadline must be 100 to 120000 ms");
    }
    if (maxConnections < 1 || maxConnections > 1_000_000) {
      throw new IllegalArgumentException("max connections must be 1 to 1000000");
    }
    if (maxConnectionsPerCertificate < 1 || maxConnectionsPerCertificate > maxConnections) {
      throw new IllegalArgumentException(
          "max connections per certificate must be 1 to max connections");
    }
    if (keepAliveTimeoutSeconds < 0 || keepAliveTimeoutSeconds > 86_400) {
      throw new IllegalArgumentException("keep-alive timeout must be 0 to 86400 s");
    }
  }

  /** These settings with other connection caps. */
  public StackSettings withConnectionCaps(int total, int perCertificate) {
    return new StackSettings(
        stackName,
        maxMessageSize,
        threadPoolSize,
        idleMillis,
        handshakeMillis,
        total,
        perCertificate,
        keepAliveTimeoutSeconds);
  }

  /** These settings with another keep-alive timeout (seconds, 0 off). */
  public StackSettings withKeepAliveTimeoutSeconds(int seconds) {
    return new StackSettings(
        stackName,
        maxMessageSize,
        threadPoolSize,
        idleMillis,
        handshakeMillis,
        maxConnections,
        maxConnectionsPerCertificate,
        seconds);
  }

  /** These settings with another idle time (ms). */
  public StackSettings withIdleMillis(long millis) {
    return new StackSettings(
        stackName,
        maxMessageSize,
        threadPoolSize,
        millis,
        handshakeMillis,
        maxConnections,
        maxConnectionsPerCertificate,
        keepAliveTimeoutSeconds);
  }

  /**
   * The stack properties.
   *
   * @param tlsHandoff the key under which {@link EdgeSecurityProvider} finds this stack's TLS
   *     material
   */
  Properties toProperties(String tlsHandoff) {
    Properties p = new Properties();
    p.setProperty("javax.sip.STACK_NAME", stackName);
    p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
    p.setProperty("gov.nist.javax.sip.AUTOMATIC_DIALOG_ERROR_HANDLING", "false");
    p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", GuardedNio.class.getName());
    p.setProperty("javax.sip.ROUTER_PATH", FlowRouter.class.getName());
    p.setProperty(GuardedNio.DEADLINE_PROPERTY, Long.toString(handshakeMillis));
    p.setProperty(GuardedNio.MAX_CONNECTIONS_PROPERTY, Integer.toString(maxConnections));
    p.setProperty(
        GuardedNio.MAX_PER_CERTIFICATE_PROPERTY, Integer.toString(maxConnectionsPerCertificate));
    p.setProperty(
        "gov.nist.javax.sip.SECURITY_MANAGER_PROVIDER", EdgeSecurityProvider.class.getName());
    p.setProperty(EdgeSecurityProvider.HANDOFF_PROPERTY, tlsHandoff);
    p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", SingleHeaderGuard.class.getName());
    p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Enabled");
    p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", String.join(",", PROTOCOLS));
    p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(" ", CIPHER_SUITES));
    p.setProperty("gov.nist.javax.sip.SSL_RENEGOTIATION_ENABLED", "false");
    p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(maxMessageSize));
    p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
    p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(threadPoolSize));
    p.setProperty(
        "gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", Integer.toString(MAX_SERVER_TRANSACTIONS));
    p.setProperty("gov.nist.javax.sip.NIO_MAX_SOCKET_IDLE_TIME", Long.toString(idleMillis));
    p.setProperty(
        "gov.nist.javax.sip.RELIABLE_CONNECTION_KEEP_ALIVE_TIMEOUT",
        keepAliveTimeoutSeconds == 0 ? "-1" : Integer.toString(keepAliveTimeoutSeconds));
    p.setProperty("gov.nist.javax.sip.CACHE_SERVER_CONNECTIONS", "true");
    p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
    p.setProperty("gov.nist.javax.sip.stack.USE_DIRECT_BUFFERS", "false");
    p.setProperty("gov.nist.javax.sip.LINGER_TIMER", "0");
    return p;
  }
}
