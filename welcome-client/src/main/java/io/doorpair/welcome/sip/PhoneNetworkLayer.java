package io.doorpair.welcome.sip;

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
 * The phone stack's sockets (jain-sip's {@code NETWORK_LAYER}): TLS sockets from our own {@link
 * SSLContext} (the device certificate, trusting only the pinned portal CA) with the portal's host
 * name checked against its certificate ({@code HTTPS} endpoint identification; the stack itself
 * checks no host name) and sent as SNI, TLS 1.3 or 1.2 only. Every new TLS connection is reported
 * with the {@link WatchedSocket} under it, so that the registration can watch it and register again
 * when it closes (the blocking transport raises no event when a peer closes) or when a keep-alive
 * gets no pong. Plain TCP and UDP sockets are made as the JDK makes them, but the phone's stack
 * opens none towards the network (it has only a TLS listening point).
 *
 * <p>jain-sip creates this class by name with no arguments; {@link #offer} parks the material under
 * a random key that the stack properties carry, and {@link #setSipStack} takes it out again. Public
 * only for that reflection; not an API.
 */
public final class PhoneNetworkLayer implements NetworkLayer {
  static final String HANDOFF_PROPERTY = "io.doorpair.welcome.sip.NETWORK_HANDOFF";
  private static final int CONNECT_TIMEOUT_MILLIS = 5000;
  private static final Map<String, Material> PARKED = new ConcurrentHashMap<>();

  private volatile Material material;

  /** For the stack's reflection. */
  public PhoneNetworkLayer() {}

  /**
   * What the layer needs.
   *
   * @param tls our client (and server) context
   * @param portalHost the name the portal's certificate must carry
   * @param cipherSuites the suites TLS sockets may use
   * @param onTlsConnection told of every new outgoing TLS connection
   */
  record Material(
      SSLContext tls,
      String portalHost,
      List<String> cipherSuites,
      Consumer<Flow> onTlsConnection) {
    Material {
      Objects.requireNonNull(tls, "tls");
      Objects.requireNonNull(portalHost, "portalHost");
      cipherSuites = List.copyOf(cipherSuites);
      Objects.requireNonNull(onTlsConnection, "onTlsConnection");
    }
  }

  /**
   * A TLS connection to the portal.
   *
   * @param tls the TLS socket the stack uses
   * @param tcp the TCP socket under it, which tells when bytes last arrived
   */
  record Flow(SSLSocket tls, WatchedSocket tcp) {
    Flow {
      Objects.requireNonNull(tls, "tls");
      Objects.requireNonNull(tcp, "tcp");
    }

    /** Closes the TCP socket first (nothing waits on a peer that went silent), then the TLS one. */
    void abort() {
      try {
        tcp.close();
      } catch (IOException e) {
        // closed already
      }
      try {
        tls.close();
      } catch (IOException e) {
        // closed already
      }
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
    WatchedSocket plain = new WatchedSocket();
    try {
      if (bindsTo(myAddress, address)) {
        plain.bind(new InetSocketAddress(myAddress, 0));
      }
      plain.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MILLIS);
      plain.setTcpNoDelay(true);
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
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
    parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
    if (!m.portalHost().contains(":") && !m.portalHost().matches("[0-9.]+")) {
      parameters.setServerNames(List.of(new SNIHostName(m.portalHost())));
    }
    parameters.setCipherSuites(m.cipherSuites().toArray(new String[0]));
    socket.setSSLParameters(parameters);
    m.onTlsConnection().accept(new Flow(socket, plain));
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
