package io.doorpair.sipedge.revocation;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A trust manager that first lets the CA's PKIX trust manager check the chain, then refuses a
 * client certificate listed in the {@link RevocationList}: a revoked certificate fails the
 * handshake.
 */
public final class RevokingTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private final RevocationList revocations;

  /**
   * Wraps {@code delegate}.
   *
   * @throws IllegalArgumentException if {@code delegate} is not an {@link X509ExtendedTrustManager}
   *     (the JDK's PKIX one is)
   */
  public RevokingTrustManager(X509TrustManager delegate, RevocationList revocations) {
    Objects.requireNonNull(delegate, "delegate");
    if (!(delegate instanceof X509ExtendedTrustManager)) {
      throw new IllegalArgumentException("the trust manager must be an X509ExtendedTrustManager");
    }
    this.delegate = (X509ExtendedTrustManager) delegate;
    this.revocations = Objects.requireNonNull(revocations, "revocations");
  }

  private void notRevoked(X509Certificate[] chain) throws CertificateException {
    if (chain != null && chain.length > 0 && revocations.isRevoked(chain[0])) {
      throw new CertificateException("the client certificate is revoked");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
    notRevoked(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, socket);
    notRevoked(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, engine);
    notRevoked(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
    notRevoked(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType, socket);
    notRevoked(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType, engine);
    notRevoked(chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
