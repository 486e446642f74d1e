package io.doorpair.crypto.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} that delegates to a JDK one and sets the allowed protocols, through {@link
 * SSLParameters}, on everything the context hands out.
 */
final class RestrictedSslContext extends SSLContext {

  RestrictedSslContext(SSLContext delegate, String[] protocols) {
    super(new Spi(delegate, protocols), delegate.getProvider(), delegate.getProtocol());
  }

  private static final class Spi extends SSLContextSpi {
    private final SSLContext delegate;
    private final String[] protocols;

    Spi(SSLContext delegate, String[] protocols) {
      this.delegate = delegate;
      this.protocols = protocols.clone();
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
        throws KeyManagementException {
      delegate.init(km, tm, sr);
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return new Sockets(delegate.getSocketFactory(), protocols);
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return new ServerSockets(delegate.getServerSocketFactory(), protocols);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return restrict(delegate.createSSLEngine(), protocols);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return restrict(delegate.createSSLEngine(host, port), protocols);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return delegate.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return delegate.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return restrict(delegate.getDefaultSSLParameters(), protocols);
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return restrict(delegate.getSupportedSSLParameters(), protocols);
    }
  }

  static SSLParameters restrict(SSLParameters parameters, String[] protocols) {
    parameters.setProtocols(protocols.clone());
    return parameters;
  }

  static SSLEngine restrict(SSLEngine engine, String[] protocols) {
    engine.setSSLParameters(restrict(engine.getSSLParameters(), protocols));
    return engine;
  }

  static Socket restrict(Socket socket, String[] protocols) {
    if (socket instanceof SSLSocket) {
      SSLSocket ssl = (SSLSocket) socket;
      ssl.setSSLParameters(restrict(ssl.getSSLParameters(), protocols));
    }
    return socket;
  }

  static ServerSocket restrict(ServerSocket socket, String[] protocols) {
    if (socket instanceof SSLServerSocket) {
      SSLServerSocket ssl = (SSLServerSocket) socket;
      ssl.setSSLParameters(restrict(ssl.getSSLParameters(), protocols));
    }
    return socket;
  }

  private static final class Sockets extends SSLSocketFactory {
    private final SSLSocketFactory delegate;
    private final String[] protocols;

    Sockets(SSLSocketFactory delegate, String[] protocols) {
      this.delegate = delegate;
      this.protocols = protocols;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
      return restrict(delegate.createSocket(), protocols);
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose)
        throws IOException {
      return restrict(delegate.createSocket(s, host, port, autoClose), protocols);
    }

    @Override
    public Socket createSocket(Socket s, InputStream consumed, boolean autoClose)
        throws IOException {
      return restrict(delegate.createSocket(s, consumed, autoClose), protocols);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return restrict(delegate.createSocket(host, port), protocols);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return restrict(delegate.createSocket(host, port, localHost, localPort), protocols);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return restrict(delegate.createSocket(host, port), protocols);
    }

    @Override
    public Socket createSocket(
        InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return restrict(delegate.createSocket(address, port, localAddress, localPort), protocols);
    }
  }

  private static final class ServerSockets extends SSLServerSocketFactory {
    private final SSLServerSocketFactory delegate;
    private final String[] protocols;

    ServerSockets(SSLServerSocketFactory delegate, String[] protocols) {
      this.delegate = delegate;
      this.protocols = protocols;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
      return restrict(delegate.createServerSocket(), protocols);
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      return restrict(delegate.createServerSocket(port), protocols);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
      return restrict(delegate.createServerSocket(port, backlog), protocols);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress ifAddress)
        throws IOException {
      return restrict(delegate.createServerSocket(port, backlog, ifAddress), protocols);
    }
  }
}
