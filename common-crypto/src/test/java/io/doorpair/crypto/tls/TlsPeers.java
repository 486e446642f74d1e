package io.doorpair.crypto.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/** A one-connection TLS echo over loopback: what each side saw, or how it failed. */
final class TlsPeers {

  /** The server's view: the negotiated protocol and the client's certificate subject. */
  record ServerView(String protocol, String peerSubject) {}

  private TlsPeers() {}

  /**
   * Runs one exchange: the client sends one byte, the server echoes it.
   *
   * @param clientProtocols protocols to force on the client socket, or null for its defaults
   */
  static Exchange exchange(
      SSLContext serverContext,
      boolean needClientAuth,
      SSLContext clientContext,
      String[] clientProtocols)
      throws Exception {
    return exchange(serverContext, null, needClientAuth, clientContext, clientProtocols);
  }

  /** As above, also forcing the server's protocols when {@code serverProtocols} is not null. */
  static Exchange exchange(
      SSLContext serverContext,
      String[] serverProtocols,
      boolean needClientAuth,
      SSLContext clientContext,
      String[] clientProtocols)
      throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (SSLServerSocket server =
        (SSLServerSocket)
            serverContext
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      if (serverProtocols != null) {
        server.setEnabledProtocols(serverProtocols);
      }
      server.setNeedClientAuth(needClientAuth);
      server.setSoTimeout(10_000);
      CompletableFuture<ServerView> serverSide =
          CompletableFuture.supplyAsync(() -> serve(server), pool);
      Exchange exchange = new Exchange();
      try (SSLSocket client = (SSLSocket) clientContext.getSocketFactory().createSocket()) {
        if (clientProtocols != null) {
          client.setEnabledProtocols(clientProtocols);
        }
        client.setSoTimeout(10_000);
        client.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 10_000);
        client.startHandshake();
        OutputStream out = client.getOutputStream();
        out.write(42);
        out.flush();
        int echoed = client.getInputStream().read();
        exchange.clientProtocol = client.getSession().getProtocol();
        exchange.clientGotEcho = echoed == 42;
      } catch (IOException e) {
        exchange.clientFailure = e;
      }
      try {
        exchange.server = serverSide.get(20, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        exchange.serverFailure = e.getCause();
      } catch (TimeoutException e) {
        throw new AssertionError("the server side did not finish", e);
      }
      return exchange;
    } finally {
      pool.shutdownNow();
    }
  }

  private static ServerView serve(SSLServerSocket server) {
    try (SSLSocket socket = (SSLSocket) server.accept()) {
      socket.startHandshake();
      InputStream in = socket.getInputStream();
      int b = in.read();
      socket.getOutputStream().write(b);
      socket.getOutputStream().flush();
      String subject =
          server.getNeedClientAuth()
              ? ((java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0])
                  .getSubjectX500Principal()
                  .getName()
              : "";
      return new ServerView(socket.getSession().getProtocol(), subject);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** What happened on both sides. */
  static final class Exchange {
    ServerView server;
    Throwable serverFailure;
    String clientProtocol;
    boolean clientGotEcho;
    IOException clientFailure;

    boolean succeeded() {
      return server != null && clientGotEcho;
    }

    /** The server's failure, unwrapped from {@link java.io.UncheckedIOException}. */
    Throwable serverError() {
      return serverFailure instanceof java.io.UncheckedIOException
          ? serverFailure.getCause()
          : serverFailure;
    }
  }
}
