package io.doorpair.welcome.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class NoDelaySocketFactoryTest {
  @Test
  void every_socket_it_makes_has_nagle_off() throws Exception {
    NoDelaySocketFactory factory = new NoDelaySocketFactory();
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      int port = server.getLocalPort();
      InetAddress loopback = InetAddress.getLoopbackAddress();
      try (Socket unconnected = factory.createSocket();
          Socket byName = factory.createSocket(loopback.getHostAddress(), port);
          Socket byAddress = factory.createSocket(loopback, port);
          Socket byNameFrom = factory.createSocket(loopback.getHostAddress(), port, loopback, 0);
          Socket byAddressFrom = factory.createSocket(loopback, port, loopback, 0)) {
        assertThat(unconnected.getTcpNoDelay()).isTrue();
        assertThat(byName.getTcpNoDelay()).isTrue();
        assertThat(byAddress.getTcpNoDelay()).isTrue();
        assertThat(byNameFrom.getTcpNoDelay()).isTrue();
        assertThat(byAddressFrom.getTcpNoDelay()).isTrue();
      }
    }
  }
}
