package io.doorpair.sipedge.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class UnwrapScratchTest {
  private final AtomicInteger made = new AtomicInteger();

  private ByteBuffer fresh() {
    made.incrementAndGet();
    return ByteBuffer.allocate(64);
  }

  @Test
  void outside_a_read_nothing_is_handed_out() {
    assertThat(UnwrapScratch.app(this::fresh)).isNull();
    assertThat(UnwrapScratch.net(this::fresh)).isNull();
    assertThat(made).hasValue(0);
  }

  /** Runs {@code body} on a new thread (whose scratch buffers are not made yet), rethrowing. */
  private static void onNewThread(UnwrapScratch.Read body) throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (Throwable t) {
                failure.set(t);
              }
            });
    thread.start();
    thread.join(30_000);
    assertThat(thread.isAlive()).isFalse();
    if (failure.get() instanceof Exception) {
      throw (Exception) failure.get();
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
  }

  @Test
  void inside_reads_of_one_thread_the_same_buffers_come_back_cleared() throws Exception {
    onNewThread(this::sameBuffersComeBack);
  }

  private void sameBuffersComeBack() throws Exception {
    List<ByteBuffer> apps = new ArrayList<>();
    List<ByteBuffer> nets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      UnwrapScratch.run(
          () -> {
            ByteBuffer app = UnwrapScratch.app(this::fresh);
            assertThat(app.position()).isZero();
            assertThat(app.limit()).isEqualTo(app.capacity());
            app.put(new byte[10]).flip();
            apps.add(app);
            ByteBuffer net = UnwrapScratch.net(this::fresh);
            net.put(new byte[5]);
            nets.add(net);
          });
    }
    assertThat(apps).allSatisfy(b -> assertThat(b).isSameAs(apps.get(0)));
    assertThat(nets).allSatisfy(b -> assertThat(b).isSameAs(nets.get(0)));
    assertThat(apps.get(0)).isNotSameAs(nets.get(0));
    assertThat(made).as("one application and one network buffer for the thread").hasValue(2);
    assertThat(UnwrapScratch.app(this::fresh)).as("after the read").isNull();
  }

  @Test
  void a_nested_read_gets_no_scratch_buffer_while_the_outer_one_holds_it() throws Exception {
    AtomicReference<ByteBuffer> outer = new AtomicReference<>();
    AtomicReference<ByteBuffer> inner = new AtomicReference<>(ByteBuffer.allocate(1));
    UnwrapScratch.run(
        () -> {
          outer.set(UnwrapScratch.app(this::fresh));
          UnwrapScratch.run(() -> inner.set(UnwrapScratch.app(this::fresh)));
          assertThat(UnwrapScratch.app(this::fresh)).isSameAs(outer.get());
        });
    assertThat(outer.get()).isNotNull();
    assertThat(inner.get()).isNull();
  }

  @Test
  void another_thread_has_buffers_of_its_own() throws Exception {
    AtomicReference<ByteBuffer> mine = new AtomicReference<>();
    AtomicReference<ByteBuffer> theirs = new AtomicReference<>();
    UnwrapScratch.run(() -> mine.set(UnwrapScratch.app(this::fresh)));
    Thread other =
        new Thread(
            () -> {
              try {
                UnwrapScratch.run(() -> theirs.set(UnwrapScratch.app(this::fresh)));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    other.start();
    other.join(30_000);
    assertThat(theirs.get()).isNotNull().isNotSameAs(mine.get());
  }

  @Test
  void the_depth_is_restored_when_a_read_throws() {
    try {
      UnwrapScratch.run(
          () -> {
            throw new java.io.IOException("closed");
          });
    } catch (Exception expected) {
      // the stack's read failed; the next read must still get the scratch buffers
    }
    AtomicReference<ByteBuffer> after = new AtomicReference<>();
    try {
      UnwrapScratch.run(() -> after.set(UnwrapScratch.app(this::fresh)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(after.get()).isNotNull();
  }
}
