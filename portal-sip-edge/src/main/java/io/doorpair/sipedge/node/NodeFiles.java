package io.doorpair.sipedge.node;

import io.doorpair.crypto.CryptoException;
import io.doorpair.crypto.Pem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Reads and checks the files a SIP node runs on. Every failure is an {@link
 * IllegalArgumentException} whose message is one line naming the option and the file: missing,
 * unreadable, malformed, a key readable by group or others (as ssh refuses it), a key that does not
 * match the certificate, a certificate not issued by the CA, a CRL not signed by the CA.
 *
 * <p>During a portal CA rotation's overlap {@code --ca} holds two CA certificates (the new one and
 * the previous one, with distinct names) and {@code --crl} is given once per CA: every trusted CA
 * must have its CRL (else revocation could not be checked for its certificates), and every CRL must
 * be signed by one of them.
 */
public final class NodeFiles {
  /** The largest CA, certificate or key file read, bytes. */
  static final int MAX_PEM_BYTES = 64 * 1024;

  /** The largest CRL file read, bytes (about 300,000 revoked serials). */
  static final int MAX_CRL_BYTES = 16 * 1024 * 1024;

  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private NodeFiles() {}

  /**
   * The node's checked TLS material.
   *
   * @param caCertificates the portal CA (whom clients and the CRL must chain to)
   * @param key the node's private key
   * @param chain the node's certificate, then any intermediates
   * @param crls the current CRL of each CA, in the order of the {@code --crl} options
   */
  public record Material(
      List<X509Certificate> caCertificates,
      PrivateKey key,
      List<X509Certificate> chain,
      List<X509CRL> crls) {
    public Material {
      caCertificates = List.copyOf(caCertificates);
      chain = List.copyOf(chain);
      crls = List.copyOf(crls);
    }

    /** The first CRL ({@code --crl} given first). */
    public X509CRL crl() {
      return crls.get(0);
    }

    @Override
    public String toString() {
      return "Material[ca="
          + caCertificates.get(0).getSubjectX500Principal()
          + ", cert="
          + chain.get(0).getSubjectX500Principal()
          + ", key=(redacted), crls="
          + crls.size()
          + "]";
    }
  }

  /**
   * Reads and checks all four files.
   *
   * @param now to tell an expired or not yet valid node certificate
   * @throws IllegalArgumentException one line naming the option and file at fault
   */
  public static Material load(Path ca, Path cert, Path key, Path crl, Instant now) {
    return load(ca, cert, key, List.of(crl), now);
  }

  /**
   * Reads and checks the CA file (one or two CA certificates), the node's certificate and key, and
   * one CRL file per CA.
   *
   * @param now to tell an expired or not yet valid node certificate
   * @throws IllegalArgumentException one line naming the option and file at fault
   */
  public static Material load(Path ca, Path cert, Path key, List<Path> crls, Instant now) {
    List<X509Certificate> authorities = authorities(ca);
    List<X509Certificate> chain = certificates("--cert", cert);
    X509Certificate leaf = chain.get(0);
    if (!issuedByOneOf(leaf, authorities)) {
      throw new IllegalArgumentException("--cert " + cert + ": not issued by the CA in --ca " + ca);
    }
    if (now.isAfter(leaf.getNotAfter().toInstant())) {
      throw new IllegalArgumentException(
          "--cert " + cert + ": expired on " + leaf.getNotAfter().toInstant());
    }
    if (now.isBefore(leaf.getNotBefore().toInstant())) {
      throw new IllegalArgumentException(
          "--cert " + cert + ": not valid before " + leaf.getNotBefore().toInstant());
    }
    PrivateKey privateKey = privateKey(key);
    if (!matches(privateKey, leaf)) {
      throw new IllegalArgumentException(
          "--key " + key + ": does not match the certificate in --cert " + cert);
    }
    return new Material(authorities, privateKey, chain, crlPerAuthority(crls, authorities, ca));
  }

  /**
   * The CA certificates in {@code --ca}: one, or two with distinct names (a rotation's overlap).
   */
  private static List<X509Certificate> authorities(Path ca) {
    List<X509Certificate> authorities = certificates("--ca", ca);
    if (authorities.size() > 2) {
      throw new IllegalArgumentException(
          "--ca "
              + ca
              + ": holds "
              + authorities.size()
              + " certificates; one CA, or two during a CA rotation");
    }
    if (authorities.size() == 2
        && authorities
            .get(0)
            .getSubjectX500Principal()
            .equals(authorities.get(1).getSubjectX500Principal())) {
      throw new IllegalArgumentException(
          "--ca " + ca + ": its two CA certificates have the same name");
    }
    return authorities;
  }

  /** One CRL per CA, each signed by its CA, none twice, none missing. */
  private static List<X509CRL> crlPerAuthority(
      List<Path> files, List<X509Certificate> authorities, Path ca) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("--crl is needed: one per CA in --ca " + ca);
    }
    List<X509CRL> crls = new ArrayList<>();
    Map<X500Principal, Path> given = new HashMap<>();
    for (Path file : files) {
      X509CRL crl = crl(file, authorities, ca);
      Path before = given.putIfAbsent(crl.getIssuerX500Principal(), file);
      if (before != null) {
        throw new IllegalArgumentException(
            "--crl " + file + ": a second CRL of the CA already given by --crl " + before);
      }
      crls.add(crl);
    }
    for (X509Certificate authority : authorities) {
      if (!given.containsKey(authority.getSubjectX500Principal())) {
        throw new IllegalArgumentException(
            "--ca "
                + ca
                + ": no --crl for the CA "
                + authority.getSubjectX500Principal().getName()
                + " (every trusted CA needs its CRL: add --crl with the portal's"
                + " crl-previous.pem during a CA rotation)");
      }
    }
    return crls;
  }

  /**
   * Reads a CRL file and checks that one of {@code authorities} signed it.
   *
   * @param caFile named in the message when the signature does not verify
   * @throws IllegalArgumentException one line naming {@code --crl} and the file
   */
  public static X509CRL crl(Path file, List<X509Certificate> authorities, Path caFile) {
    byte[] bytes = read("--crl", file, MAX_CRL_BYTES);
    X509CRL crl;
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
    } catch (CRLException | CertificateException | IOException | RuntimeException e) {
      throw new IllegalArgumentException("--crl " + file + ": not a PEM or DER X.509 CRL");
    }
    if (crl == null) {
      throw new IllegalArgumentException("--crl " + file + ": not a PEM or DER X.509 CRL");
    }
    for (X509Certificate authority : authorities) {
      if (!authority.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
        continue;
      }
      try {
        crl.verify(authority.getPublicKey());
        return crl;
      } catch (GeneralSecurityException e) {
        // try the next authority
      }
    }
    throw new IllegalArgumentException(
        "--crl " + file + ": not signed by the CA in --ca " + caFile);
  }

  private static List<X509Certificate> certificates(String option, Path file) {
    String pem = new String(read(option, file, MAX_PEM_BYTES), StandardCharsets.US_ASCII);
    try {
      return Pem.parseCertificates(pem);
    } catch (CryptoException e) {
      throw new IllegalArgumentException(
          option + " " + file + ": not a PEM certificate (" + e.getMessage() + ")");
    }
  }

  private static PrivateKey privateKey(Path file) {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--key " + file + ": no such file");
    } catch (UnsupportedOperationException | IOException e) {
      throw new IllegalArgumentException("--key " + file + ": cannot read its permissions");
    }
    if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
      throw new IllegalArgumentException(
          "--key "
              + file
              + ": readable by group or others (mode "
              + mode(permissions)
              + "); chmod 600 it");
    }
    String pem = new String(read("--key", file, MAX_PEM_BYTES), StandardCharsets.US_ASCII);
    try {
      return Pem.parsePrivateKey(pem);
    } catch (CryptoException e) {
      // the message names the PEM problem, never key material
      throw new IllegalArgumentException(
          "--key " + file + ": not an unencrypted RSA private key (" + e.getMessage() + ")");
    }
  }

  private static byte[] read(String option, Path file, int limit) {
    try {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            option + " " + file + (Files.exists(file) ? ": not a regular file" : ": no such file"));
      }
      if (Files.size(file) > limit) {
        throw new IllegalArgumentException(
            option + " " + file + ": larger than " + limit + " bytes");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(option + " " + file + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException(option + " " + file + ": cannot read (" + e + ")");
    }
  }

  private static boolean issuedByOneOf(X509Certificate leaf, List<X509Certificate> authorities) {
    for (X509Certificate authority : authorities) {
      if (!authority.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
        continue;
      }
      try {
        leaf.verify(authority.getPublicKey());
        return true;
      } catch (GeneralSecurityException e) {
        // try the next authority
      }
    }
    return false;
  }

  /** Signs a random challenge with {@code key} and verifies it with the certificate's key. */
  private static boolean matches(PrivateKey key, X509Certificate certificate) {
    try {
      byte[] challenge = new byte[32];
      new java.security.SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance("SHA256withRSA");
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String mode(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      mode |= 1 << (8 - p.ordinal());
    }
    return String.format("%04o", mode);
  }
}
