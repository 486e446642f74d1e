package io.doorpair.b2b.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * The local address of the b2b's outgoing connections: its loopback listening point is never the
 * source towards a portal on another host (e2e-tests' {@code CrossHostIT} runs it across hosts).
 */
class GatewayNetworkLayerTest {
  @Test
  void a_loopback_listening_address_is_the_source_only_towards_loopback() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    InetAddress otherHost = InetAddress.getByName("10.77.1.2");
    InetAddress lan = InetAddress.getByName("192.168.1.20");
    assertThat(GatewayNetworkLayer.bindsTo(loopback, InetAddress.getByName("127.0.0.2"))).isTrue();
    assertThat(GatewayNetworkLayer.bindsTo(loopback, otherHost)).isFalse();
    assertThat(GatewayNetworkLayer.bindsTo(InetAddress.getByName("::1"), otherHost)).isFalse();
    assertThat(GatewayNetworkLayer.bindsTo(lan, otherHost)).isTrue();
    assertThat(GatewayNetworkLayer.bindsTo(null, otherHost)).isFalse();
  }
}
