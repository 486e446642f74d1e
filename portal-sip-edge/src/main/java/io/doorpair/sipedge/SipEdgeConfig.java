package io.doorpair.sipedge;

import io.doorpair.sipedge.registrar.RegistrationPolicy;
import io.doorpair.sipedge.stack.StackSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the portal SIP server needs: where to listen, its SIP domain, its TLS identity and whom it
 * trusts.
 *
 * @param listen the TLS listening address ({@code --sip}, default {@code 127.0.0.1:5061}); port 0
 *     picks a free port, reported by {@link RunningSipEdge#sipAddress()}
 * @param domain the portal SIP domain (app certificates are {@code user@domain}): a request for
 *     {@code user@domain} forks to the user's devices, one for any other domain goes to that
 *     domain's gateway ({@code ipgw@DOMAIN})
 * @param caCertificates the portal CA: client certificates must chain to one of these, nothing else
 *     is trusted
 * @param serverKey the server's private key
 * @param serverChain the server certificate (issued by the portal CA) then its intermediates
 * @param registration binding expiry limits
 * @param stack jain-sip settings (message size, threads, idle time)
 * @param crl the portal CA's CRL at start, if any (later ones through {@link
 *     RunningSipEdge#updateCrl}); revoked certificates fail the handshake and get {@code 403} on a
 *     connection that was already open
 * @param timerC how long a forked INVITE may wait for a final response before its pending branches
 *     are cancelled (RFC 3261 timer C; default 180 s, 100 ms to 1 h)
 * @param advertise the address the others reach this server at ({@code --advertise}, an IP literal
 *     and a port 1 to 65535, never a wildcard): carried by the Record-Route, the Path, the Via and
 *     the node heartbeat instead of the bound address; empty: the bound address
 */
public record SipEdgeConfig(
    InetSocketAddress listen,
    String domain,
    List<X509Certificate> caCertificates,
    PrivateKey serverKey,
    List<X509Certificate> serverChain,
    RegistrationPolicy registration,
    StackSettings stack,
    Optional<X509CRL> crl,
    Duration timerC,
    Optional<InetSocketAddress> advertise) {
  /** The default listening address, {@code 127.0.0.1:5061}. */
  public static final String DEFAULT_LISTEN = "127.0.0.1:5061";

  /**
   * The default timer C, 180 s (RFC 3261 asks for more than 3 minutes; 180 s is the common choice).
   */
  public static final Duration DEFAULT_TIMER_C = Duration.ofSeconds(180);

  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException when there is no CA certificate or no server certificate, the
   *     domain is empty, or timer C is outside 100 ms to 1 h
   */
  public SipEdgeConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(domain, "domain");
    domain = domain.trim().toLowerCase(Locale.ROOT);
    require(!domain.isEmpty(), "the SIP domain is empty");
    Objects.requireNonNull(timerC, "timerC");
    require(
        timerC.toMillis() >= 100 && timerC.compareTo(Duration.ofHours(1)) <= 0,
        "timer C must be 100 ms to 1 h");
    caCertificates = List.copyOf(caCertificates);
    Objects.requireNonNull(serverKey, "serverKey");
    serverChain = List.copyOf(serverChain);
    Objects.requireNonNull(registration, "registration");
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(crl, "crl");
    Objects.requireNonNull(advertise, "advertise");
    advertise.ifPresent(SipEdgeConfig::checkAdvertised);
    require(!caCertificates.isEmpty(), "at least one CA certificate is needed");
    require(!serverChain.isEmpty(), "the server certificate chain is empty");
  }

  /** The configuration announcing the bound address (no {@code --advertise}). */
  public SipEdgeConfig(
      InetSocketAddress listen,
      String domain,
      List<X509Certificate> caCertificates,
      PrivateKey serverKey,
      List<X509Certificate> serverChain,
      RegistrationPolicy registration,
      StackSettings stack,
      Optional<X509CRL> crl,
      Duration timerC) {
    this(
        listen,
        domain,
        caCertificates,
        serverKey,
        serverChain,
        registration,
        stack,
        crl,
        timerC,
        Optional.empty());
  }

  /** The configuration with default registration limits, stack settings and timer C. */
  public static SipEdgeConfig of(
      InetSocketAddress listen,
      String domain,
      List<X509Certificate> caCertificates,
      PrivateKey serverKey,
      List<X509Certificate> serverChain) {
    return new SipEdgeConfig(
        listen,
        domain,
        caCertificates,
        serverKey,
        serverChain,
        RegistrationPolicy.DEFAULT,
        StackSettings.DEFAULT,
        Optional.empty(),
        DEFAULT_TIMER_C);
  }

  /** This configuration with {@code crl} as the CRL at start. */
  public SipEdgeConfig withCrl(X509CRL crl) {
    return new SipEdgeConfig(
        listen,
        domain,
        caCertificates,
        serverKey,
        serverChain,
        registration,
        stack,
        Optional.of(crl),
        timerC,
        advertise);
  }

  /** This configuration with another timer C. */
  public SipEdgeConfig withTimerC(Duration timerC) {
    return new SipEdgeConfig(
        listen,
        domain,
        caCertificates,
        serverKey,
        serverChain,
        registration,
        stack,
        crl,
        timerC,
        advertise);
  }

  /** This configuration announcing {@code address} instead of the bound address. */
  public SipEdgeConfig withAdvertise(InetSocketAddress address) {
    return new SipEdgeConfig(
        listen,
        domain,
        caCertificates,
        serverKey,
        serverChain,
        registration,
        stack,
        crl,
        timerC,
        Optional.of(address));
  }

  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  /**
   * Parses an {@code --advertise} address: an IP literal and a port, {@code 10.0.0.5:5061} or
   * {@code [2001:db8::5]:5061}; never a host name (the other nodes compare it with the addresses
   * their connections come from), a wildcard address or port 0.
   *
   * @throws IllegalArgumentException naming {@code --advertise} and what is wrong
   */
  public static InetSocketAddress parseAdvertise(String text) {
    Objects.requireNonNull(text, "text");
    int colon = text.lastIndexOf(':');
    require(colon > 0 && colon < text.length() - 1, "--advertise needs ip:port, got: " + text);
    String host = text.substring(0, colon);
    boolean v6 = host.startsWith("[") && host.endsWith("]");
    if (v6) {
      host = host.substring(1, host.length() - 1);
    }
    require(
        v6 ? IPV6.matcher(host).matches() && host.contains(":") : IPV4.matcher(host).matches(),
        "--advertise needs an IP address (IPv6 as [addr]:port), not a name: " + text);
    int port =
        port(text.substring(colon + 1), 1, "--advertise port must be 1 to 65535, got: " + text);
    InetAddress address;
    try {
      address = InetAddress.getByName(host); // a literal: no name lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--advertise needs an IP address, got: " + text, e);
    }
    require(
        !address.isAnyLocalAddress(),
        "--advertise must be an address the others reach, not a wildcard: " + text);
    return new InetSocketAddress(address, port);
  }

  private static void checkAdvertised(InetSocketAddress address) {
    require(
        !address.isUnresolved() && !address.getAddress().isAnyLocalAddress(),
        "--advertise must be an address the others reach, not a wildcard: " + address);
    require(
        address.getPort() >= 1 && address.getPort() <= 65535,
        "--advertise port must be 1 to 65535");
  }

  /** The check of every component and option: {@code message} when {@code ok} is false. */
  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** {@code digits} as a port from {@code lowest} to 65535, else {@code message}. */
  private static int port(String digits, int lowest, String message) {
    int port;
    try {
      port = Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(message);
    }
    require(port >= lowest && port <= 65535, message);
    return port;
  }

  /**
   * Whether {@code listen} is a wildcard address ({@code 0.0.0.0}, {@code ::}): a server bound
   * there must be given the address it is reached at ({@link #advertise}).
   */
  public static boolean isWildcard(InetSocketAddress listen) {
    String host = listen.getHostString();
    if (!IPV4.matcher(host).matches() && !(host.contains(":") && IPV6.matcher(host).matches())) {
      return false; // a name: resolved at start, never a wildcard
    }
    try {
      return InetAddress.getByName(host).isAnyLocalAddress();
    } catch (UnknownHostException e) {
      return false;
    }
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
    require(colon > 0 && colon < text.length() - 1, "--sip needs host:port");
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("--sip needs host:port (write IPv6 as [addr]:port)");
    }
    int port = port(text.substring(colon + 1), 0, "--sip port must be 0 to 65535");
    require(!host.isEmpty(), "--sip port must be 0 to 65535");
    return InetSocketAddress.createUnresolved(host, port);
  }

  @Override
  public String toString() {
    return "SipEdgeConfig[listen="
        + listen
        + ", domain="
        + domain
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
        + ", timerC="
        + timerC
        + ", advertise="
        + advertise.map(InetSocketAddress::toString).orElse("(bound address)")
        + "]";
  }
}
