package io.doorpair.ipgw.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay on loopback to a target port, that a test cuts and restores: while down, connections
 * are closed as soon as they are accepted and open ones are dropped. TLS passes through untouched.
 */
public final class TcpRelay implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean up = true;
  private volatile long delayMillis;

  public TcpRelay(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  public String url() {
    return "https://127.0.0.1:" + server.getLocalPort();
  }

  /** Cuts or restores the relay. */
  public void setUp(boolean value) {
    up = value;
    if (!value) {
      for (Socket s : open) {
        closeQuietly(s);
      }
    }
  }

  /** Holds every chunk sent towards the target this long (a slow link); 0 for none. */
  public void setDelay(java.time.Duration delay) {
    delayMillis = delay.toMillis();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (!up) {
          closeQuietly(client);
          continue;
        }
        Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        open.add(client);
        open.add(target);
        threads.execute(() -> pipe(client, target, true));
        threads.execute(() -> pipe(target, client, false));
      } catch (IOException e) {
        // closed, or the target refused: the client sees a reset
      }
    }
  }

  private void pipe(Socket from, Socket to, boolean upstream) {
    byte[] buffer = new byte[16384];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        long delay = delayMillis;
        if (upstream && delay > 0) {
          Thread.sleep(delay);
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    setUp(false);
    threads.shutdownNow();
  }
}
