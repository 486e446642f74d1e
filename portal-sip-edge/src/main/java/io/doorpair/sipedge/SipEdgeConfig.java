package io.doorpair.sipedge;

import io.doorpair.sipedge.registrar.RegistrationPolicy;
import io.doorpair.sipedge.stack.StackSettings;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the portal SIP server needs: where to listen, its TLS identity and whom it trusts.
 *
 * @param listen the TLS listening address ({@code --sip}, default {@code 127.0.0.1:5061}); port 0
 *     picks a free port, reported by {@link RunningSipEdge#sipAddress()}
 * @param caCertificates the portal CA: client certificates must chain to one of these, nothing else
 *     is trusted
 * @param serverKey the server's private key
 * @param serverChain the server certificate (issued by the portal CA) then its intermediates
 * @param registration binding expiry limits
 * @param stack jain-sip settings (message size, threads, idle time)
 * @param crl the portal CA's CRL at start, if any (later ones through {@link
 *     RunningSipEdge#updateCrl}); revoked certificates fail the handshake and get {@code 403} on a
 *     connection that was already open
 */
public record SipEdgeConfig(
    InetSocketAddress listen,
    List<X509Certificate> caCertificates,
    PrivateKey serverKey,
    List<X509Certificate> serverChain,
    RegistrationPolicy registration,
    StackSettings stack,
    Optional<X509CRL> crl) {
  /** The default listening address, {@code 127.0.0.1:5061}. */
  public static final String DEFAULT_LISTEN = "127.0.0.1:5061";

  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException when there is no CA certificate or no server certificate
   */
  public SipEdgeConfig {
    Objects.requireNonNull(listen, "listen");
    caCertificates = List.copyOf(caCertificates);
    Objects.requireNonNull(serverKey, "serverKey");
    serverChain = List.copyOf(serverChain);
    Objects.requireNonNull(registration, "registration");
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(crl, "crl");
    if (caCertificates.isEmpty()) {
      throw new IllegalArgumentException("at least one CA certificate is needed");
    }
    if (serverChain.isEmpty()) {
      throw new IllegalArgumentException("the server certificate chain is empty");
    }
  }

  /** The configuration with default registration limits and stack settings. */
  public static SipEdgeConfig of(
      InetSocketAddress listen,
      List<X509Certificate> caCertificates,
      PrivateKey serverKey,
      List<X509Certificate> serverChain) {
    return new SipEdgeConfig(
        listen,
        caCertificates,
        serverKey,
        serverChain,
        RegistrationPolicy.DEFAULT,
        StackSettings.DEFAULT,
        Optional.empty());
  }

  /** This configuration with {@code crl} as the CRL at start. */
  public SipEdgeConfig withCrl(X509CRL crl) {
    return new SipEdgeConfig(
        listen, caCertificates, serverKey, serverChain, registration, stack, Optional.of(crl));
  }

  /**
   * Parses a {@code --sip} address: {@code host:port} or {@code [ipv6]:port}, port 0 to 65535.
   *
   * @throws IllegalArgumentException {@code --sip needs host:port}, {@code --sip port must be 0 to
   *     65535}
   */
  public static InetSocketAddress parseListen(String text) {
    Objects.requireNonNull(text, "text");
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("--sip needs host:port");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("--sip needs host:port (write IPv6 as [addr]:port)");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--sip port must be 0 to 65535");
    }
    if (port < 0 || port > 65535 || host.isEmpty()) {
      throw new IllegalArgumentException("--sip port must be 0 to 65535");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  @Override
  public String toString() {
    return "SipEdgeConfig[listen="
        + listen
        + ", caCertificates="
        + caCertificates.size()
        + ", serverKey=(redacted), serverChain="
        + serverChain.size()
        + ", registration="
        + registration
        + ", stack="
        + stack
        + ", crl="
        + crl.map(c -> "thisUpdate " + c.getThisUpdate().toInstant()).orElse("(none)")
        + "]";
  }
}
