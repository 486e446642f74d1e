package io.doorpair.crypto.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {

  /** Both CAs have the same name: only the signature tells them apart. */
  private static final HeldCertificate CA =
      new HeldCertificate.Builder().certificateAuthority(0).commonName("Door Test CA").build();

  private static final HeldCertificate ROGUE_CA =
      new HeldCertificate.Builder().certificateAuthority(0).commonName("Door Test CA").build();

  private static final HeldCertificate SERVER =
      new HeldCertificate.Builder()
          .signedBy(CA)
          .commonName("portal")
          .addSubjectAlternativeName("localhost")
          .build();

  private static final HeldCertificate CLIENT =
      new HeldCertificate.Builder().signedBy(CA).commonName("alice@portal").build();

  private static final HeldCertificate ROGUE_CLIENT =
      new HeldCertificate.Builder().signedBy(ROGUE_CA).commonName("alice@portal").build();

  private static final HeldCertificate RSA_A = new HeldCertificate.Builder().rsa2048().build();
  private static final HeldCertificate RSA_B = new HeldCertificate.Builder().rsa2048().build();

  private static SSLContext serverContext() {
    return TlsMaterial.context(Optional.of(identity(SERVER, CA)), trust(CA));
  }

  private static SSLContext clientContext(HeldCertificate client, HeldCertificate issuer) {
    Optional<X509KeyManager> keys =
        client == null ? Optional.empty() : Optional.of(identity(client, issuer));
    return TlsMaterial.context(keys, trust(CA));
  }

  private static X509KeyManager identity(HeldCertificate leaf, HeldCertificate issuer) {
    return TlsMaterial.keyManager(
        leaf.keyPair().getPrivate(), List.of(leaf.certificate(), issuer.certificate()));
  }

  private static X509TrustManager trust(HeldCertificate ca) {
    return TlsMaterial.trustManager(List.of(ca.certificate()));
  }

  @Test
  void mutual_tls_handshake_over_loopback_negotiates_tls13_and_shows_the_client() throws Exception {
    TlsPeers.Exchange exchange =
        TlsPeers.exchange(serverContext(), true, clientContext(CLIENT, CA), null);

    assertThat(exchange.succeeded())
        .as("exchange, client failure %s", exchange.clientFailure)
        .isTrue();
    assertThat(exchange.server.protocol()).isEqualTo("TLSv1.3");
    assertThat(exchange.server.peerSubject()).isEqualTo("CN=alice@portal");
  }

  @Test
  void tls12_client_is_accepted() throws Exception {
    TlsPeers.Exchange exchange =
        TlsPeers.exchange(
            serverContext(), true, clientContext(CLIENT, CA), new String[] {"TLSv1.2"});

    assertThat(exchange.succeeded()).isTrue();
    assertThat(exchange.clientProtocol).isEqualTo("TLSv1.2");
  }

  @Test
  void client_certificate_from_a_rogue_ca_with_the_same_name_is_refused() throws Exception {
    TlsPeers.Exchange exchange =
        TlsPeers.exchange(serverContext(), true, clientContext(ROGUE_CLIENT, ROGUE_CA), null);

    assertThat(exchange.succeeded()).isFalse();
    assertThat(exchange.serverError()).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void client_without_certificate_is_refused_when_one_is_needed() throws Exception {
    TlsPeers.Exchange exchange =
        TlsPeers.exchange(serverContext(), true, clientContext(null, CA), null);

    assertThat(exchange.succeeded()).isFalse();
    assertThat(exchange.serverError()).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void server_certificate_from_another_ca_is_refused_by_the_client() throws Exception {
    SSLContext rogueServer =
        TlsMaterial.context(
            Optional.of(
                identity(
                    new HeldCertificate.Builder()
                        .signedBy(ROGUE_CA)
                        .addSubjectAlternativeName("localhost")
                        .build(),
                    ROGUE_CA)),
            trust(CA));

    TlsPeers.Exchange exchange =
        TlsPeers.exchange(rogueServer, false, clientContext(null, CA), null);

    assertThat(exchange.succeeded()).isFalse();
    assertThat(exchange.clientFailure).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void every_socket_engine_and_parameter_set_allows_only_tls13_and_tls12() throws Exception {
    SSLContext context = serverContext();
    String[] expected = {"TLSv1.3", "TLSv1.2"};

    try (SSLServerSocket server =
            (SSLServerSocket)
                context
                    .getServerSocketFactory()
                    .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
      SSLEngine engine = context.createSSLEngine("localhost", 443);

      assertThat(server.getEnabledProtocols()).containsExactly(expected);
      assertThat(socket.getEnabledProtocols()).containsExactly(expected);
      assertThat(engine.getEnabledProtocols()).containsExactly(expected);
      assertThat(context.createSSLEngine().getEnabledProtocols()).containsExactly(expected);
      assertThat(context.getDefaultSSLParameters().getProtocols()).containsExactly(expected);
      assertThat(context.getSupportedSSLParameters().getProtocols()).containsExactly(expected);
    }
    // What the restriction removes: the plain JDK context supports older protocols.
    assertThat(SSLContext.getDefault().getSupportedSSLParameters().getProtocols())
        .contains("TLSv1.1");
  }

  @Test
  void protocols_is_a_copy() {
    String[] protocols = TlsMaterial.protocols();
    protocols[0] = "SSLv3";

    assertThat(TlsMaterial.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
  }

  @Test
  void trust_manager_trusts_its_anchors_only() throws Exception {
    X509TrustManager trust = trust(CA);
    X509Certificate[] good = {SERVER.certificate(), CA.certificate()};
    X509Certificate[] rogue = {
      new HeldCertificate.Builder().signedBy(ROGUE_CA).build().certificate(), ROGUE_CA.certificate()
    };

    trust.checkServerTrusted(good, "ECDHE_ECDSA");
    assertThatThrownBy(() -> trust.checkServerTrusted(rogue, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
    assertThat(trust.getAcceptedIssuers()).containsExactly(CA.certificate());
  }

  @Test
  void trust_manager_needs_an_anchor() {
    assertThatThrownBy(() -> TlsMaterial.trustManager(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("at least one trust anchor is needed");
  }

  @Test
  void key_manager_presents_the_given_chain() {
    X509KeyManager keys = identity(CLIENT, CA);

    assertThat(keys.getCertificateChain("identity"))
        .containsExactly(CLIENT.certificate(), CA.certificate());
    assertThat(keys.getPrivateKey("identity")).isEqualTo(CLIENT.keyPair().getPrivate());
  }

  @Test
  void key_manager_refuses_a_key_of_another_algorithm() {
    assertThatThrownBy(
            () ->
                TlsMaterial.keyManager(RSA_A.keyPair().getPrivate(), List.of(CLIENT.certificate())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the private key does not match the certificate");
  }

  @Test
  void key_manager_refuses_another_rsa_key() {
    assertThatThrownBy(
            () ->
                TlsMaterial.keyManager(RSA_A.keyPair().getPrivate(), List.of(RSA_B.certificate())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the private key does not match the certificate");
    assertThat(TlsMaterial.keyManager(RSA_A.keyPair().getPrivate(), List.of(RSA_A.certificate())))
        .isNotNull();
  }

  @Test
  void tls11_client_is_refused_even_where_the_jdk_allows_tls11(@TempDir Path dir) throws Exception {
    // This JVM's java.security disables TLS 1.1 anyway; a child JVM that allows it shows that the
    // restriction itself refuses it (and, as a control, that TLS 1.1 works there without it).
    Path security = dir.resolve("legacy.security");
    Files.writeString(security, "jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, NULL, anon\n");
    Path output = dir.resolve("probe.txt");
    Process probe =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.security.properties=" + security,
                "-cp",
                System.getProperty("java.class.path"),
                LegacyProtocolProbe.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean finished = probe.waitFor(60, TimeUnit.SECONDS);
    if (!finished) {
      probe.destroyForcibly();
    }
    String report = Files.readString(output);

    assertThat(finished).as("probe finished: %s", report).isTrue();
    assertThat(report)
        .contains("control=TLSv1.1")
        .contains("restricted=refused SSLHandshakeException");
  }

  @Test
  void key_manager_refuses_an_empty_chain() {
    assertThatThrownBy(() -> TlsMaterial.keyManager(CLIENT.keyPair().getPrivate(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the certificate chain is empty");
  }

  @Test
  void system_trust_anchors_are_the_platform_cas() {
    assertThat(TlsMaterial.systemTrustAnchors()).isNotEmpty();
  }
}
