package io.doorpair.portal.tls;

import io.doorpair.crypto.tls.TlsMaterial;
import java.math.BigInteger;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Predicate;
import javax.net.ssl.X509TrustManager;

/**
 * Admits at the handshake only client certificates of the portal CA that are in their validity
 * period and not revoked. Resumed TLS sessions skip this check, so request handlers check
 * revocation again (see {@code io.doorpair.portal.auth.ClientCertificates}).
 */
public final class ClientTrust implements X509TrustManager {
  private final X509TrustManager pkix;
  private final Predicate<BigInteger> revoked;

  /**
   * @param ca the portal CA certificate, the only trust anchor
   * @param revoked tells whether a serial is revoked
   */
  public ClientTrust(X509Certificate ca, Predicate<BigInteger> revoked) {
    this.pkix = TlsMaterial.trustManager(List.of(ca));
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
