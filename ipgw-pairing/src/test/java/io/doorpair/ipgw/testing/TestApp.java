package io.doorpair.ipgw.testing;

import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.welcome.api.CertificateResponse;
import io.doorpair.welcome.http.PortalClient;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A Welcome app, as the real one: its own RSA key (fresh, so that no two apps share a key hash),
 * paired with the portal through {@link PortalClient}.
 */
public record TestApp(KeyPair keys, X509Certificate certificate, String gruu, PortalClient client) {
  /** Pairs an app of {@code user}. */
  public static TestApp pair(PortalExtension portal, String user, String password) {
    return pair(portal, user, password, "phone of " + user);
  }

  /** Pairs an app of {@code user} whose device is called {@code friendlyName}. */
  public static TestApp pair(
      PortalExtension portal, String user, String password, String friendlyName) {
    KeyPair keys = RsaKeys.generate(2048);
    String csr =
        CertificateRequest.create(keys, user + "@portal.localhost", Optional.of(UUID.randomUUID()))
            .pem();
    PortalClient first = portal.client();
    CertificateResponse answer = first.pair(user, password.toCharArray(), csr, friendlyName);
    X509Certificate certificate = Pem.parseCertificate(answer.certificate());
    X509Certificate ca = Pem.parseCertificate(answer.caCertificate());
    return new TestApp(
        keys,
        certificate,
        answer.gruu(),
        first.withIdentity(keys.getPrivate(), List.of(certificate), ca));
  }
}
