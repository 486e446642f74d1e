package io.doorpair.crypto;

import io.doorpair.crypto.internal.CommonNames;
import io.doorpair.crypto.internal.SubjectAltNames;
import io.doorpair.crypto.internal.UuidUris;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1OctetString;

/**
 * Who a certificate of this system names (DESIGN §2): its CN {@code user@host}, its serial and, for
 * apps, its device instance from the SAN URI {@code urn:uuid:<uuid>}. A gateway's CN is {@code
 * ipgw@DOMAIN} with DOMAIN 12 characters from {@code [a-z0-9]}.
 *
 * <p>This reads identity only; it does not check that the certificate is trusted, valid or not
 * revoked.
 *
 * @param commonName the CN, {@code user@host}, exactly as the certificate carries it
 * @param serial the certificate serial number
 * @param instance the device instance, if the certificate binds one
 */
public record CertificateIdentity(String commonName, BigInteger serial, Optional<UUID> instance) {
  private static final Pattern GATEWAY = Pattern.compile("ipgw@[a-z0-9]{12}");

  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException if the CN is not {@code user@host} in 1 to 128 printable ASCII
   *     characters, or the instance is not a version-4 UUID
   */
  public CertificateIdentity {
    Objects.requireNonNull(commonName, "commonName");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(instance, "instance");
    Optional<String> problem = problem(commonName);
    if (problem.isPresent()) {
      throw new IllegalArgumentException("common name " + problem.get());
    }
    if (instance.isPresent() && !UuidUris.isVersion4(instance.get())) {
      throw new IllegalArgumentException("instance must be a version-4 UUID");
    }
  }

  /**
   * Reads the identity of {@code certificate}.
   *
   * @throws CryptoException {@value CryptoException#BAD_CERTIFICATE} if the subject has no CN or
   *     several, the CN is not {@code user@host} in 1 to 128 printable ASCII characters, or the
   *     certificate has more than one {@code urn:uuid} SAN or one that is not a version-4 UUID
   */
  public static CertificateIdentity of(X509Certificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    List<Optional<String>> names;
    try {
      names = CommonNames.of(certificate.getSubjectX500Principal().getEncoded());
    } catch (RuntimeException e) {
      throw bad("certificate subject is malformed");
    }
    if (names.size() != 1) {
      throw bad("certificate subject must contain exactly one CN, found " + names.size());
    }
    String cn =
        names.get(0).orElseThrow(() -> bad("certificate common name is not a directory string"));
    Optional<String> problem = problem(cn);
    if (problem.isPresent()) {
      throw bad("certificate common name " + problem.get());
    }
    return new CertificateIdentity(cn, certificate.getSerialNumber(), instance(certificate));
  }

  private static Optional<UUID> instance(X509Certificate certificate) {
    byte[] extension = certificate.getExtensionValue("2.5.29.17");
    if (extension == null) {
      return Optional.empty();
    }
    List<String> uuidUris = new ArrayList<>();
    try {
      for (String uri : SubjectAltNames.uris(ASN1OctetString.getInstance(extension).getOctets())) {
        if (UuidUris.isUuidUri(uri)) {
          uuidUris.add(uri);
        }
      }
    } catch (RuntimeException e) {
      throw bad("certificate subjectAltName is malformed");
    }
    if (uuidUris.size() > 1) {
      throw bad("certificate has more than one urn:uuid SAN");
    }
    if (uuidUris.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        UuidUris.version4(uuidUris.get(0))
            .orElseThrow(() -> bad("certificate urn:uuid SAN is not a version-4 UUID")));
  }

  private static Optional<String> problem(String cn) {
    Optional<String> problem = CommonNames.problem(cn);
    if (problem.isPresent()) {
      return problem;
    }
    int at = cn.indexOf('@');
    if (at <= 0 || at == cn.length() - 1 || cn.indexOf('@', at + 1) >= 0) {
      return Optional.of("is not of the form user@host");
    }
    return Optional.empty();
  }

  /** Whether the CN is a gateway's: {@code ipgw@} then 12 characters from {@code [a-z0-9]}. */
  public boolean isGateway() {
    return GATEWAY.matcher(commonName).matches();
  }

  /** The gateway DOMAIN when {@link #isGateway()}, else empty. */
  public Optional<String> gatewayDomain() {
    return isGateway() ? Optional.of(host()) : Optional.empty();
  }

  /** The part of the CN before {@code @}, as written in the certificate. */
  public String user() {
    return commonName.substring(0, commonName.indexOf('@'));
  }

  /** The part of the CN after {@code @}, as written in the certificate. */
  public String host() {
    return commonName.substring(commonName.indexOf('@') + 1);
  }

  private static CryptoException bad(String message) {
    return new CryptoException(CryptoException.BAD_CERTIFICATE, message);
  }
}
