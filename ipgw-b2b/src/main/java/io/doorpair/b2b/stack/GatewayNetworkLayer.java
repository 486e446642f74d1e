package io.doorpair.b2b.stack;

import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The stack's sockets (jain-sip's {@code NETWORK_LAYER}): plain sockets as the JDK makes them, and
 * TLS sockets from our own {@link SSLContext} (agent.pem, trusting only cafile.pem) with the
 * portal's host name checked against its certificate ({@code HTTPS} endpoint identification; the
 * stack itself checks no host name) and sent as SNI. Every new TLS connection is reported, so that
 * the portal leg can watch it and re-register when it closes.
 *
 * <p>jain-sip creates this class by name with no arguments; {@link #offer} parks the material under
 * a random key that the stack properties carry, and {@link #setSipStack} takes it out again. Public
 * only for that reflection; not an API.
 */
public final class GatewayNetworkLayer implements NetworkLayer {
  static final String HANDOFF_PROPERTY = "io.doorpair.b2b.NETWORK_HANDOFF";
  private static final int CONNECT_TIMEOUT_MILLIS = 5000;
  private static final Map<String, Material> PARKED = new ConcurrentHashMap<>();

  private volatile Material material;

  /** For the stack's reflection. */
  public GatewayNetworkLayer() {}

  /**
   * What the layer needs.
   *
   * @param tls our client (and server) context
   * @param portalHost the name the portal's certificate must carry
   * @param cipherSuites the suites TLS sockets may use
   * @param onTlsConnection told of every new outgoing TLS socket
   */
  record Material(
      SSLContext tls,
      String portalHost,
      List<String> cipherSuites,
      Consumer<Socket> onTlsConnection) {
    Material {
      Objects.requireNonNull(tls, "tls");
      Objects.requireNonNull(portalHost, "portalHost");
      cipherSuites = List.copyOf(cipherSuites);
      Objects.requireNonNull(onTlsConnection, "onTlsConnection");
    }
  }

  static String offer(Material material) {
    String key = UUID.randomUUID().toString();
    PARKED.put(key, material);
    return key;
  }

  static void withdraw(String key) {
    PARKED.remove(key);
  }

  @Override
  public void setSipStack(SipStackImpl stack) {
    String key = stack.getConfigurationProperties().getProperty(HANDOFF_PROPERTY);
    Material parked = key == null ? null : PARKED.remove(key);
    if (parked == null) {
      throw new IllegalStateException("no TLS material was handed to this SIP stack");
    }
    this.material = parked;
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress)
      throws IOException {
    return new ServerSocket(port, backlog, bindAddress);
  }

  @Override
  public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress)
      throws IOException {
    SSLServerSocket socket =
        (SSLServerSocket)
            material.tls().getServerSocketFactory().createServerSocket(port, backlog, bindAddress);
    socket.setNeedClientAuth(true);
    return socket;
  }

  @Override
  public Socket createSocket(InetAddress address, int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MILLIS);
    socket.setTcpNoDelay(true);
    return socket;
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress myAddress)
      throws IOException {
    Socket socket = new Socket();
    if (bindsTo(myAddress, address)) {
      socket.bind(new InetSocketAddress(myAddress, 0));
    }
    socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MILLIS);
    socket.setTcpNoDelay(true);
    return socket;
  }

  /**
   * Whether an outgoing connection to {@code destination} is bound to the stack's listening address
   * {@code myAddress}: not when that address is loopback and the destination is not (the portal on
   * another host), as no packet from a loopback address leaves the host; the system then picks the
   * address of the route towards the destination.
   */
  static boolean bindsTo(InetAddress myAddress, InetAddress destination) {
    return myAddress != null
        && !(myAddress.isLoopbackAddress() && !destination.isLoopbackAddress());
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort)
      throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(myAddress, myPort));
    socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MILLIS);
    socket.setTcpNoDelay(true);
    return socket;
  }

  @Override
  public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
    return createSSLSocket(address, port, null);
  }

  @Override
  public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress)
      throws IOException {
    Material m = material;
    Socket plain = createSocket(address, port, myAddress);
    SSLSocket socket;
    try {
      socket =
          (SSLSocket) m.tls().getSocketFactory().createSocket(plain, m.portalHost(), port, true);
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (!m.portalHost().contains(":") && !m.portalHost().matches("[0-9.]+")) {
      parameters.setServerNames(List.of(new SNIHostName(m.portalHost())));
    }
    parameters.setCipherSuites(m.cipherSuites().toArray(new String[0]));
    socket.setSSLParameters(parameters);
    m.onTlsConnection().accept(socket);
    return socket;
  }

  @Override
  public DatagramSocket createDatagramSocket() throws SocketException {
    return new DatagramSocket();
  }

  @Override
  public DatagramSocket createDatagramSocket(int port, InetAddress laddr) throws SocketException {
    return new DatagramSocket(port, laddr);
  }
}
