package io.doorpair.sipedge.stack;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * One pair of scratch buffers per thread for the stack's TLS read path. jain-sip's {@code
 * SSLStateMachine.unwrap} asks its channel for a new application-data buffer (about 16 kB) for
 * every read and a new network buffer (about 16 kB) for the {@code wrapRemaining} it calls after
 * every read, uses both only inside that call (under the state machine's unwrap lock, copying what
 * they hold into fresh arrays before it hands data on) and drops them: a sixth of all allocation
 * per call (634 to 535 kB) and a quarter per REGISTER (118 to 88 kB) in {@code bench/sip.sh} runs.
 * While a thread is inside {@link #run} (the outermost read of a channel), {@link #app} and {@link
 * #net} hand out that thread's buffers, cleared, instead; anywhere else, and in a read nested
 * inside another, they return {@code null} and the caller allocates as before. The buffers stay
 * with the thread (the NIO selector thread), not with each connection, so an idle connection holds
 * none.
 */
final class UnwrapScratch {
  private static final ThreadLocal<UnwrapScratch> LOCAL =
      ThreadLocal.withInitial(UnwrapScratch::new);

  private int depth;
  private ByteBuffer app;
  private ByteBuffer net;

  private UnwrapScratch() {}

  /** A read of the stack's, during which this thread's buffers are handed out. */
  interface Read {
    void run() throws Exception;
  }

  /** Runs a channel's read with this thread's buffers available to it. */
  static void run(Read read) throws Exception {
    UnwrapScratch s = LOCAL.get();
    s.depth++;
    try {
      read.run();
    } finally {
      s.depth--;
    }
  }

  /**
   * This thread's application-data buffer, cleared, when called inside the outermost {@link #run};
   * otherwise {@code null}. The first one is made by {@code fresh} (the stack's own allocation, of
   * the size it wants).
   */
  static ByteBuffer app(Supplier<ByteBuffer> fresh) {
    UnwrapScratch s = LOCAL.get();
    if (s.depth != 1) {
      return null;
    }
    s.app = reuse(s.app, fresh);
    return s.app;
  }

  /** As {@link #app}, for the network (encrypted) buffer. */
  static ByteBuffer net(Supplier<ByteBuffer> fresh) {
    UnwrapScratch s = LOCAL.get();
    if (s.depth != 1) {
      return null;
    }
    s.net = reuse(s.net, fresh);
    return s.net;
  }

  private static ByteBuffer reuse(ByteBuffer kept, Supplier<ByteBuffer> fresh) {
    if (kept == null) {
      return fresh.get();
    }
    kept.clear();
    return kept;
  }
}
