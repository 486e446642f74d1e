package io.doorpair.e2e.harness;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Copies one direction of a relayed connection in a daemon thread, on the channels themselves (the
 * streams of {@code Channels} would hold the channel's lock while blocked in a read, so the other
 * direction could never write).
 */
final class Pipe {
  private Pipe() {}

  /**
   * Copies {@code in} to {@code out} until end of stream or an error, then runs {@code done}.
   *
   * @param name the thread's name
   * @param in what to read
   * @param out where to write
   * @param done run once the copy ended (e.g. a half-close of the other side)
   */
  static void start(String name, ReadableByteChannel in, WritableByteChannel out, Runnable done) {
    Thread t =
        new Thread(
            () -> {
              ByteBuffer buffer = ByteBuffer.allocate(16384);
              try {
                while (in.read(buffer) >= 0) {
                  buffer.flip();
                  while (buffer.hasRemaining()) {
                    out.write(buffer);
                  }
                  buffer.clear();
                }
              } catch (IOException e) {
                // the connection ended
              } finally {
                done.run();
              }
            },
            name);
    t.setDaemon(true);
    t.start();
  }
}
