package io.doorpair.portal.tls;

import io.doorpair.ca.CertificateAuthority;
import io.doorpair.ca.IssuedCertificate;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.portal.files.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key and certificate chain the HTTPS server presents: an operator's own ({@code --tls-cert},
 * {@code --tls-key}) or one issued by the portal CA for {@code localhost}, {@code 127.0.0.1} and
 * every {@code --hostname}, kept in the data folder and issued again when the names change or it is
 * within 30 days of expiry.
 *
 * @param key the private key
 * @param chain the certificate first, then any intermediates
 */
public record ServerIdentity(PrivateKey key, List<X509Certificate> chain) {
  private static final Logger LOG = LoggerFactory.getLogger(ServerIdentity.class);
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);
  private static final int SERVER_KEY_BITS = 2048;

  public ServerIdentity {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a server certificate chain cannot be empty");
    }
  }

  @Override
  public String toString() {
    return "ServerIdentity[" + chain.get(0).getSubjectX500Principal() + ", key=<redacted>]";
  }

  /** Loads an operator's certificate chain and key. */
  public static ServerIdentity load(Path certificateFile, Path keyFile) {
    try {
      List<X509Certificate> chain =
          Pem.parseCertificates(Files.readString(certificateFile, StandardCharsets.US_ASCII));
      PrivateKey key = Pem.parsePrivateKey(Files.readString(keyFile, StandardCharsets.US_ASCII));
      return new ServerIdentity(key, chain);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the TLS certificate or key: " + e.getMessage(), e);
    }
  }

  /**
   * The generated identity in {@code dataDir}: reused while it names the same hosts and is not
   * close to expiry, else issued again by {@code ca}.
   */
  public static ServerIdentity generated(
      Path dataDir, CertificateAuthority ca, List<String> extraHostnames, Clock clock) {
    Path certFile = dataDir.resolve("server.pem");
    Path keyFile = dataDir.resolve("server-key.pem");
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    names.addAll(extraHostnames);
    try {
      if (Files.exists(certFile) && Files.exists(keyFile)) {
        ServerIdentity existing = load(certFile, keyFile);
        X509Certificate cert = existing.chain.get(0);
        boolean fresh =
            cert.getNotAfter().toInstant().isAfter(clock.instant().plus(RENEW_BEFORE))
                && sameNames(cert, names)
                && issuedBy(cert, ca.certificate());
        if (fresh) {
          return existing;
        }
      }
      List<String> dns = new ArrayList<>();
      List<String> ips = new ArrayList<>();
      for (String name : names) {
        if (looksLikeIp(name)) {
          ips.add(name);
        } else {
          dns.add(name);
        }
      }
      KeyPair keys = RsaKeys.generate(SERVER_KEY_BITS);
      IssuedCertificate issued = ca.issueServer(keys.getPublic(), dns, ips);
      SecretFiles.writeSecret(keyFile, Pem.privateKey(keys.getPrivate()));
      SecretFiles.writePublic(certFile, issued.pem());
      LOG.info(
          "issued the HTTPS server certificate names={} serial={}",
          names,
          issued.serial().toString(16));
      return new ServerIdentity(keys.getPrivate(), List.of(issued.certificate()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the server certificate in " + dataDir, e);
    }
  }

  private static boolean issuedBy(X509Certificate cert, X509Certificate ca) {
    try {
      cert.verify(ca.getPublicKey());
      return true;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean sameNames(X509Certificate cert, Set<String> wanted) {
    try {
      Set<String> present = new LinkedHashSet<>();
      var sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          present.add(String.valueOf(san.get(1)));
        }
      }
      Set<String> normalizedWanted = new LinkedHashSet<>();
      for (String name : wanted) {
        normalizedWanted.add(name.equals("::1") ? "0:0:0:0:0:0:0:1" : name);
      }
      return present.equals(normalizedWanted) || present.equals(wanted);
    } catch (CertificateParsingException e) {
      return false;
    }
  }

  static boolean looksLikeIp(String name) {
    return name.matches("[0-9.]+") || name.contains(":");
  }
}
