package io.doorpair.welcome.sip;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * The TCP socket under the TLS connection to the portal, telling when it last received bytes: the
 * sign of life an RFC 5626 keep-alive waits for. The TLS layer reads every record through {@link
 * #getInputStream()} as soon as it arrives (jain-sip's reader thread is always blocked in a read),
 * so a pong (or any SIP message) shows here without looking into the encrypted bytes.
 */
final class WatchedSocket extends Socket {
  private volatile long lastReceivedNanos = System.nanoTime();

  /**
   * When bytes last arrived ({@link System#nanoTime()}), or when the socket was made.
   *
   * @return the time
   */
  long lastReceivedNanos() {
    return lastReceivedNanos;
  }

  @Override
  public InputStream getInputStream() throws IOException {
    return new FilterInputStream(super.getInputStream()) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          lastReceivedNanos = System.nanoTime();
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
          lastReceivedNanos = System.nanoTime();
        }
        return n;
      }
    };
  }
}
