package io.doorpair.sipedge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class HandshakeFailureTest {
  private static SSLHandshakeException handshake(String message, Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException(message);
    e.initCause(cause);
    return e;
  }

  @Test
  void messages_of_the_jdk_give_their_reason() {
    assertThat(
            HandshakeFailure.classify(new SSLHandshakeException("Empty client certificate chain")))
        .isEqualTo(HandshakeFailure.NO_CERTIFICATE);
    assertThat(
            HandshakeFailure.classify(
                handshake(
                    "PKIX path building failed",
                    new CertificateException(
                        "unable to find valid certification path to requested target"))))
        .isEqualTo(HandshakeFailure.UNKNOWN_CA);
    assertThat(
            HandshakeFailure.classify(
                handshake(
                    "PKIX path validation failed: validity check failed",
                    new CertificateExpiredException("NotAfter: ..."))))
        .isEqualTo(HandshakeFailure.EXPIRED);
    assertThat(
            HandshakeFailure.classify(
                handshake("x", new CertificateException("the client certificate is revoked"))))
        .isEqualTo(HandshakeFailure.REVOKED);
    assertThat(
            HandshakeFailure.classify(new SSLException("Unsupported or unrecognized SSL message")))
        .isEqualTo(HandshakeFailure.OTHER);
  }

  @Test
  void a_cause_loop_ends() {
    SSLException a = new SSLException("a");
    SSLException b = new SSLException("b", a);
    a.initCause(b);
    assertThat(HandshakeFailure.classify(a)).isEqualTo(HandshakeFailure.OTHER);
  }

  @Test
  void labels_are_prometheus_friendly() {
    for (HandshakeFailure reason : HandshakeFailure.values()) {
      assertThat(reason.label()).matches("[a-z_]+");
    }
  }
}
