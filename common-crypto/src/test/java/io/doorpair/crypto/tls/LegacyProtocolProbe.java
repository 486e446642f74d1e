package io.doorpair.crypto.tls;

import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import okhttp3.tls.HeldCertificate;

/**
 * Run in a child JVM whose {@code jdk.tls.disabledAlgorithms} allows TLS 1.1: prints how a TLS 1.1
 * client fares against a plain JDK server (the control) and against a {@link TlsMaterial} server.
 */
public final class LegacyProtocolProbe {
  private LegacyProtocolProbe() {}

  /**
   * Prints {@code control=...} and {@code restricted=...} lines.
   *
   * @param args none
   * @throws Exception on a setup failure
   */
  public static void main(String[] args) throws Exception {
    HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).build();
    HeldCertificate server =
        new HeldCertificate.Builder().signedBy(ca).addSubjectAlternativeName("localhost").build();
    KeyManager keys =
        TlsMaterial.keyManager(
            server.keyPair().getPrivate(), List.of(server.certificate(), ca.certificate()));
    TrustManager trust = TlsMaterial.trustManager(List.of(ca.certificate()));
    String[] tls11 = {"TLSv1.1"};

    SSLContext plainServer = SSLContext.getInstance("TLS");
    plainServer.init(new KeyManager[] {keys}, null, null);
    SSLContext legacyClient = SSLContext.getInstance("TLS");
    legacyClient.init(null, new TrustManager[] {trust}, null);

    TlsPeers.Exchange control = TlsPeers.exchange(plainServer, tls11, false, legacyClient, tls11);
    System.out.println(
        "control="
            + (control.succeeded() ? control.clientProtocol : "failed " + control.clientFailure));

    SSLContext restrictedServer =
        TlsMaterial.context(
            Optional.of((javax.net.ssl.X509KeyManager) keys),
            TlsMaterial.trustManager(List.of(ca.certificate())));
    TlsPeers.Exchange restricted = TlsPeers.exchange(restrictedServer, false, legacyClient, tls11);
    System.out.println(
        "restricted="
            + (restricted.succeeded()
                ? restricted.clientProtocol
                : "refused " + restricted.serverError().getClass().getSimpleName()));
  }
}
