package io.doorpair.sipedge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reply framing of the daemon's command socket, with the daemon's reply shapes (taken from
 * linphone-daemon 5.1) written by a socket of the test, also in pieces a real daemon rarely sends.
 */
class DaemonSocketTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  @TempDir Path dir;
  private ServerSocketChannel server;
  private CompletableFuture<SocketChannel> accepted;

  @BeforeEach
  void listen() throws IOException {
    Path path = dir.resolve("daemon.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    accepted =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return server.accept();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
  }

  @AfterEach
  void close() throws IOException {
    server.close();
  }

  private DaemonSocket connect() throws Exception {
    return DaemonSocket.connect(dir.resolve("daemon.sock"), TIMEOUT, () -> true);
  }

  private SocketChannel peer() throws Exception {
    return accepted.get(20, TimeUnit.SECONDS);
  }

  private static void send(SocketChannel channel, String text) throws IOException {
    channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void reply_with_a_body_ends_at_its_blank_line() throws Exception {
    try (DaemonSocket socket = connect();
        SocketChannel daemon = peer()) {
      send(daemon, "Status: Ok\n\nId: 1\nState: LinphoneRegistrationOk\n\n");
      assertThat(socket.command("register-status ALL", TIMEOUT))
          .isEqualTo("Status: Ok\n\nId: 1\nState: LinphoneRegistrationOk\n\n");
    }
  }

  @Test
  void reply_without_a_body_ends_when_nothing_more_comes() throws Exception {
    try (DaemonSocket socket = connect();
        SocketChannel daemon = peer()) {
      send(daemon, "Status: Error\nReason: No call with such id.\n");
      assertThat(socket.command("answer 3", TIMEOUT))
          .isEqualTo("Status: Error\nReason: No call with such id.\n");
    }
  }

  @Test
  void reply_in_two_pieces_is_read_whole() throws Exception {
    try (DaemonSocket socket = connect();
        SocketChannel daemon = peer()) {
      CompletableFuture<String> reply =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return socket.command("call sip:alice@portal.test", TIMEOUT);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      send(daemon, "Status: Ok\n");
      Thread.sleep(50); // the second piece comes within the quiet time
      send(daemon, "\nId: 2\n\n");
      assertThat(reply.get(20, TimeUnit.SECONDS)).isEqualTo("Status: Ok\n\nId: 2\n\n");
    }
  }

  @Test
  void daemon_closing_the_socket_is_an_error() throws Exception {
    try (DaemonSocket socket = connect()) {
      peer().close();
      assertThatThrownBy(() -> socket.command("pop-event", TIMEOUT))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("closed");
    }
  }

  @Test
  void silence_is_an_error_at_the_deadline() throws Exception {
    try (DaemonSocket socket = connect();
        SocketChannel daemon = peer()) {
      assertThat(daemon.isOpen()).isTrue();
      assertThatThrownBy(() -> socket.command("pop-event", Duration.ofMillis(300)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("no reply");
    }
  }

  @Test
  void command_with_a_line_break_is_refused() throws Exception {
    try (DaemonSocket socket = connect();
        SocketChannel daemon = peer()) {
      assertThat(daemon.isOpen()).isTrue();
      assertThatThrownBy(() -> socket.command("call x\nquit", TIMEOUT))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
