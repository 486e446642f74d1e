package io.doorpair.crypto.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the JSSE objects every TLS end of the project uses, from key objects already in memory
 * (reading PEM is {@code io.doorpair.crypto.Pem}'s job).
 *
 * <p>Protocols: {@link #context} creates an {@code SSLContext.getInstance("TLS")} and wraps it so
 * that every {@code SSLSocket}, {@code SSLServerSocket} and {@code SSLEngine} it creates, and its
 * default and supported {@code SSLParameters}, carry {@link #protocols()} = TLSv1.3, TLSv1.2 only,
 * whatever the JDK's defaults or system properties. Frameworks that pick protocols from the
 * context's parameters (Jetty's {@code SslContextFactory}, OkHttp's {@code ConnectionSpec}) thus
 * end up with those two as well.
 */
public final class TlsMaterial {
  private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  private static final String KEY_ALIAS = "identity";

  private TlsMaterial() {}

  /**
   * The protocols every context of this class allows, newest first.
   *
   * @return a fresh array {@code {"TLSv1.3", "TLSv1.2"}} (a copy: callers may not change the
   *     policy)
   */
  public static String[] protocols() {
    return PROTOCOLS.toArray(new String[0]);
  }

  /**
   * A PKIX trust manager that trusts exactly these anchors: not the JDK's {@code cacerts}, no
   * revocation checking (the portal checks its own CRL elsewhere). Certificates are checked for
   * signature chain, validity dates and basic constraints; host names are the TLS client's business
   * (OkHttp checks them, {@code SSLParameters.setEndpointIdentificationAlgorithm("HTTPS")} does for
   * plain sockets).
   *
   * @param anchors the trusted CA certificates, at least one
   * @return the trust manager
   * @throws IllegalArgumentException {@code at least one trust anchor is needed}
   */
  public static X509TrustManager trustManager(Collection<X509Certificate> anchors) {
    Objects.requireNonNull(anchors, "anchors");
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("at least one trust anchor is needed");
    }
    Set<TrustAnchor> trustAnchors = new HashSet<>();
    for (X509Certificate anchor : anchors) {
      trustAnchors.add(new TrustAnchor(Objects.requireNonNull(anchor, "anchor"), null));
    }
    try {
      PKIXBuilderParameters pkix = new PKIXBuilderParameters(trustAnchors, null);
      pkix.setRevocationEnabled(false);
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(new CertPathTrustManagerParameters(pkix));
      return onlyX509(factory.getTrustManagers());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's PKIX trust manager is unavailable", e);
    }
  }

  /**
   * The CA certificates of the platform's default trust store ({@code cacerts}, or what {@code
   * javax.net.ssl.trustStore} names), for callers that add their own CA to them.
   *
   * @return the system's trust anchors, possibly empty
   */
  public static List<X509Certificate> systemTrustAnchors() {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      return List.of(onlyX509(factory.getTrustManagers()).getAcceptedIssuers());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's default trust store is unavailable", e);
    }
  }

  /**
   * A key manager presenting one identity, held in an in-memory {@code PKCS12} key store protected
   * by a random password that never leaves this method.
   *
   * @param key the private key
   * @param chain its certificate first, then the intermediates (not necessarily the root)
   * @return the key manager
   * @throws IllegalArgumentException {@code the certificate chain is empty}, {@code the private key
   *     does not match the certificate}
   */
  public static X509KeyManager keyManager(PrivateKey key, List<X509Certificate> chain) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(chain, "chain");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("the certificate chain is empty");
    }
    checkKeyMatches(key, chain.get(0).getPublicKey());
    SecureRandom random = new SecureRandom();
    char[] password = randomPassword(random);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(KEY_ALIAS, key, password, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      for (KeyManager manager : factory.getKeyManagers()) {
        if (manager instanceof X509KeyManager) {
          return (X509KeyManager) manager;
        }
      }
      throw new IllegalStateException("the JDK's key manager factory gave no X509KeyManager");
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's in-memory key store failed", e);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /**
   * An SSL context restricted to {@link #protocols()} (see the class comment for how).
   *
   * @param keys the identity to present, if any (a server always has one; a client has one for
   *     mutual TLS)
   * @param trust whom to trust: the peer's certificate chain must end at one of its anchors
   * @return the context, initialised with a fresh {@link SecureRandom}
   */
  public static SSLContext context(Optional<X509KeyManager> keys, X509TrustManager trust) {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(trust, "trust");
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      KeyManager[] keyManagers = keys.map(k -> new KeyManager[] {k}).orElse(new KeyManager[0]);
      tls.init(keyManagers, new TrustManager[] {trust}, new SecureRandom());
      return new RestrictedSslContext(tls, supported(tls));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's TLS context is unavailable", e);
    }
  }

  private static String[] supported(SSLContext tls) {
    List<String> jdk = Arrays.asList(tls.getSupportedSSLParameters().getProtocols());
    List<String> allowed = new ArrayList<>(PROTOCOLS);
    allowed.retainAll(jdk);
    if (allowed.isEmpty()) {
      throw new IllegalStateException("this JDK supports neither TLSv1.3 nor TLSv1.2");
    }
    return allowed.toArray(new String[0]);
  }

  private static X509TrustManager onlyX509(TrustManager[] managers) {
    for (TrustManager manager : managers) {
      if (manager instanceof X509TrustManager) {
        return (X509TrustManager) manager;
      }
    }
    throw new IllegalStateException("the JDK's trust manager factory gave no X509TrustManager");
  }

  private static void checkKeyMatches(PrivateKey key, PublicKey certified) {
    boolean sameAlgorithm = key.getAlgorithm().equals(certified.getAlgorithm());
    boolean sameModulus =
        !(key instanceof RSAKey && certified instanceof RSAKey)
            || ((RSAKey) key).getModulus().equals(((RSAKey) certified).getModulus());
    if (!sameAlgorithm || !sameModulus) {
      throw new IllegalArgumentException("the private key does not match the certificate");
    }
  }

  private static char[] randomPassword(SecureRandom random) {
    char[] password = new char[32];
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < password.length; i++) {
      password[i] = alphabet.charAt(random.nextInt(alphabet.length()));
    }
    return password;
  }
}
