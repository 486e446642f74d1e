package io.doorpair.sipedge.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class StackSettingsTest {
  @Test
  void overrides_every_insecure_or_unbounded_default_of_the_stack() {
    Properties p = StackSettings.DEFAULT.toProperties("handoff-key");

    assertThat(p.getProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS"))
        .isEqualTo("TLSv1.3,TLSv1.2");
    assertThat(p.getProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES"))
        .contains("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
        .doesNotContain("CBC", "3DES", "anon", "TLS_RSA_");
    assertThat(p.getProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE")).isEqualTo("Enabled");
    assertThat(p.getProperty("gov.nist.javax.sip.SECURITY_MANAGER_PROVIDER"))
        .isEqualTo(EdgeSecurityProvider.class.getName());
    assertThat(p.getProperty(EdgeSecurityProvider.HANDOFF_PROPERTY)).isEqualTo("handoff-key");
    assertThat(p.getProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE")).isEqualTo("65536");
    assertThat(p.getProperty("gov.nist.javax.sip.SSL_RENEGOTIATION_ENABLED")).isEqualTo("false");
    assertThat(p.getProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY"))
        .isEqualTo(GuardedNio.class.getName());
    assertThat(p.getProperty(GuardedNio.DEADLINE_PROPERTY)).isEqualTo("10000");
    assertThat(p.getProperty("javax.sip.ROUTER_PATH")).isEqualTo(FlowRouter.class.getName());
    assertThat(p.getProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY"))
        .isEqualTo(SingleHeaderGuard.class.getName());
    assertThat(p.getProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT")).isEqualTo("off");
    assertThat(p.getProperty("gov.nist.javax.sip.NIO_MAX_SOCKET_IDLE_TIME")).isEqualTo("600000");
    assertThat(p.getProperty(GuardedNio.MAX_CONNECTIONS_PROPERTY)).isEqualTo("10000");
    assertThat(p.getProperty(GuardedNio.MAX_PER_CERTIFICATE_PROPERTY)).isEqualTo("8");
    assertThat(p.getProperty("gov.nist.javax.sip.RELIABLE_CONNECTION_KEEP_ALIVE_TIMEOUT"))
        .as("0 is the stack's 840 s, -1 is off")
        .isEqualTo("-1");
    assertThat(p.getProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS")).isEqualTo("50000");
    assertThat(p.getProperty("gov.nist.javax.sip.LINGER_TIMER"))
        .as("terminated transactions leave the tables at once (TLS has no retransmissions)")
        .isEqualTo("0");
    assertThat(
            StackSettings.DEFAULT
                .withKeepAliveTimeoutSeconds(90)
                .toProperties("k")
                .getProperty("gov.nist.javax.sip.RELIABLE_CONNECTION_KEEP_ALIVE_TIMEOUT"))
        .isEqualTo("90");
    assertThat(p.stringPropertyNames()).noneMatch(k -> k.startsWith("javax.net.ssl."));
  }

  @Test
  void refuses_unbounded_values() {
    assertThatThrownBy(() -> new StackSettings("x", 100, 8, 600_000, 10_000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StackSettings("x", 65536, 0, 600_000, 10_000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StackSettings(" ", 65536, 8, 600_000, 10_000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StackSettings("x", 65536, 8, 600_000, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StackSettings.DEFAULT.withConnectionCaps(0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StackSettings.DEFAULT.withConnectionCaps(10, 11))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StackSettings.DEFAULT.withKeepAliveTimeoutSeconds(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
