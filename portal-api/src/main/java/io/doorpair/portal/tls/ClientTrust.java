package io.doorpair.portal.tls;

import io.doorpair.crypto.tls.TlsMaterial;
import java.math.BigInteger;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Predicate;
import javax.net.ssl.X509TrustManager;

/**
 * Admits at the handshake only client certificates of the portal CA (either CA during a CA
 * rotation's overlap) that are in their validity period and not revoked. Resumed TLS sessions skip
 * this check, so request handlers check revocation again (see {@code
 * io.doorpair.portal.auth.ClientCertificates}).
 */
public final class ClientTrust implements X509TrustManager {
  private final X509TrustManager pkix;
  private final Predicate<BigInteger> revoked;

  /**
   * @param anchors the portal CA certificates (the current one, and the previous one during a
   *     rotation's overlap)
   * @param revoked tells whether a serial is revoked (serials are random: one set for both CAs)
   */
  public ClientTrust(List<X509Certificate> anchors, Predicate<BigInteger> revoked) {
    this.pkix = TlsMaterial.trustManager(anchors);
    this.revoked = revoked;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    pkix.checkClientTrusted(chain, authType);
    if (revoked.test(chain[0].getSerialNumber())) {
      throw new CertificateException("client certificate revoked");
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("this trust manager only checks clients");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }
}
