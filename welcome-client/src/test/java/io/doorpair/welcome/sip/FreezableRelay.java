package io.doorpair.welcome.sip;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback in front of a server, whose existing connections can be frozen: from then
 * on their bytes are swallowed in both directions while both sockets stay open, as when a NAT
 * binding is dropped or a middlebox stops forwarding. Connections opened after a freeze are relayed
 * normally.
 */
final class FreezableRelay implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final List<Pipe> pipes = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();

  private FreezableRelay(ServerSocket server, InetSocketAddress target) {
    this.server = server;
    this.target = target;
  }

  /** A relay to {@code target} on a free loopback port. */
  static FreezableRelay to(InetSocketAddress target) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    FreezableRelay relay = new FreezableRelay(server, target);
    Thread acceptor = new Thread(relay::accept, "relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return relay;
  }

  int port() {
    return server.getLocalPort();
  }

  /** How many connections were accepted so far. */
  int connections() {
    return accepted.get();
  }

  /** Every connection open now swallows its bytes from now on. */
  void freezeAll() {
    for (Pipe p : pipes) {
      p.frozen = true;
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        try {
          upstream.connect(target, 5000);
        } catch (IOException e) {
          client.close();
          upstream.close();
          continue;
        }
        accepted.incrementAndGet();
        Pipe pipe = new Pipe(client, upstream);
        pipes.add(pipe);
        pump(pipe, client, upstream, "relay-up");
        pump(pipe, upstream, client, "relay-down");
      } catch (IOException e) {
        // closed
      }
    }
  }

  private static void pump(Pipe pipe, Socket from, Socket to, String name) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16384];
              try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  if (!pipe.frozen) {
                    out.write(buffer, 0, n);
                    out.flush();
                  }
                }
              } catch (IOException e) {
                // one side went away
              }
              if (!pipe.frozen) {
                pipe.close();
              }
            },
            name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Pipe p : pipes) {
      p.close();
    }
  }

  private static final class Pipe {
    private final Socket a;
    private final Socket b;
    volatile boolean frozen;

    Pipe(Socket a, Socket b) {
      this.a = a;
      this.b = b;
    }

    void close() {
      try {
        a.close();
      } catch (IOException e) {
        // closed already
      }
      try {
        b.close();
      } catch (IOException e) {
        // closed already
      }
    }
  }
}
