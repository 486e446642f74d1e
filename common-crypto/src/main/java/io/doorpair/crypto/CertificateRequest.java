package io.doorpair.crypto;

import io.doorpair.crypto.internal.BouncyCastle;
import io.doorpair.crypto.internal.CommonNames;
import io.doorpair.crypto.internal.PemBlocks;
import io.doorpair.crypto.internal.UuidUris;
import java.io.IOException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A PKCS#10 certificate signing request whose signature verified and that follows this system's
 * rules (DESIGN §2, §3): an acceptable RSA key ({@link RsaKeys#requireAcceptable}), exactly one
 * subject CN of 1 to 128 printable ASCII characters, and at most one SAN URI {@code
 * urn:uuid:<version-4 uuid>}, the device instance. Immutable.
 *
 * <p>Every other requested extension (basic constraints, DNS/IP/email SANs, key usages, ...) is
 * ignored, never refused: the portal takes from a CSR only its key, its CN and its instance.
 */
public final class CertificateRequest {
  /** The longest accepted PEM text of a CSR, in characters (16 KiB). */
  public static final int MAX_PEM_CHARS = 16 * 1024;

  private final byte[] der;
  private final String commonName;
  private final PublicKey publicKey;
  private final Optional<UUID> instance;

  CertificateRequest(byte[] der, String commonName, PublicKey publicKey, Optional<UUID> instance) {
    this.der = der;
    this.commonName = commonName;
    this.publicKey = publicKey;
    this.instance = instance;
  }

  /**
   * Builds and signs a CSR (SHA256withRSA) whose subject is only {@code CN=commonName} and which,
   * when {@code instance} is present, requests the SAN URI {@code urn:uuid:<instance>}.
   *
   * @throws IllegalArgumentException if the common name is empty, longer than 128 characters or not
   *     printable ASCII, if the instance is not a version-4 UUID, or if the private key does not
   *     match the public key
   * @throws CryptoException if the public key fails {@link RsaKeys#requireAcceptable}
   */
  public static CertificateRequest create(
      KeyPair keys, String commonName, Optional<UUID> instance) {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(commonName, "commonName");
    Objects.requireNonNull(instance, "instance");
    RsaKeys.requireAcceptable(keys.getPublic());
    Optional<String> problem = CommonNames.problem(commonName);
    if (problem.isPresent()) {
      throw new IllegalArgumentException("common name " + problem.get());
    }
    if (instance.isPresent() && !UuidUris.isVersion4(instance.get())) {
      throw new IllegalArgumentException("instance must be a version-4 UUID");
    }
    PKCS10CertificationRequestBuilder builder =
        new JcaPKCS10CertificationRequestBuilder(
            new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, new DERUTF8String(commonName))
                .build(),
            keys.getPublic());
    byte[] der;
    try {
      if (instance.isPresent()) {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                new GeneralName(
                    GeneralName.uniformResourceIdentifier, UuidUris.uri(instance.get()))));
        builder.addAttribute(
            PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
      }
      der = builder.build(signer(keys.getPrivate())).getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("CSR cannot be encoded", e);
    }
    try {
      return CsrParser.parse(der);
    } catch (CryptoException e) {
      if (e.code().equals(CryptoException.BAD_SIGNATURE)) {
        throw new IllegalArgumentException("the private key does not match the public key");
      }
      throw e;
    }
  }

  private static ContentSigner signer(PrivateKey key) {
    try {
      return new JcaContentSignerBuilder("SHA256withRSA")
          .setProvider(BouncyCastle.provider())
          .build(key);
    } catch (OperatorCreationException e) {
      try {
        // A platform key store key (Android Keystore) that Bouncy Castle cannot use directly.
        return new JcaContentSignerBuilder("SHA256withRSA").build(key);
      } catch (OperatorCreationException again) {
        throw new IllegalArgumentException("the private key cannot sign with SHA256withRSA", again);
      }
    }
  }

  /**
   * Parses and checks a CSR in PEM form: exactly one block labelled {@code CERTIFICATE REQUEST} or
   * {@code NEW CERTIFICATE REQUEST}, nothing but whitespace around it, at most {@value
   * #MAX_PEM_CHARS} characters.
   *
   * @throws CryptoException {@value CryptoException#BAD_CSR} for malformed input, a SHA-1 or MD5
   *     signature, a subject without exactly one valid CN, or a bad or repeated {@code urn:uuid}
   *     SAN; {@value CryptoException#BAD_SIGNATURE} if the signature does not verify; {@value
   *     CryptoException#UNSUPPORTED_KEY} or {@value CryptoException#WEAK_KEY} for a key that fails
   *     {@link RsaKeys#requireAcceptable}. Nothing else is thrown for any input.
   */
  public static CertificateRequest parse(String pem) {
    return CsrParser.parse(pem);
  }

  /** The subject common name, such as {@code alice@portal.example.com} or {@code ipgw@DOMAIN}. */
  public String commonName() {
    return commonName;
  }

  /** The requested RSA public key; it passed {@link RsaKeys#requireAcceptable}. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** The device instance the CSR proposes in a {@code urn:uuid} SAN, if any. */
  public Optional<UUID> instance() {
    return instance;
  }

  /** The CSR as one {@code CERTIFICATE REQUEST} PEM block. */
  public String pem() {
    return PemBlocks.write("CERTIFICATE REQUEST", der);
  }

  /** The DER encoding of the CSR (a copy). */
  public byte[] encoded() {
    return der.clone();
  }

  /** Equal when the DER encodings are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof CertificateRequest && Arrays.equals(der, ((CertificateRequest) o).der);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(der);
  }

  @Override
  public String toString() {
    return "CertificateRequest[CN="
        + commonName
        + instance.map(u -> ", instance=" + u).orElse("")
        + ", key="
        + PublicKeyHash.of(publicKey)
        + "]";
  }
}
