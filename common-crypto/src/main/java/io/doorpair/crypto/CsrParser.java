package io.doorpair.crypto;

import io.doorpair.crypto.internal.BouncyCastle;
import io.doorpair.crypto.internal.CommonNames;
import io.doorpair.crypto.internal.KeyAlgorithms;
import io.doorpair.crypto.internal.PemBlocks;
import io.doorpair.crypto.internal.PemSyntaxException;
import io.doorpair.crypto.internal.SubjectAltNames;
import io.doorpair.crypto.internal.UuidUris;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/** Parses and checks PKCS#10 requests for {@link CertificateRequest#parse}. */
final class CsrParser {
  private static final Set<String> LABELS =
      Set.of("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");
  private static final Set<String> SIGNATURES =
      Set.of(
          PKCSObjectIdentifiers.sha256WithRSAEncryption.getId(),
          PKCSObjectIdentifiers.sha384WithRSAEncryption.getId(),
          PKCSObjectIdentifiers.sha512WithRSAEncryption.getId());
  private static final Map<String, String> SIGNATURE_NAMES =
      Map.of(
          PKCSObjectIdentifiers.md2WithRSAEncryption.getId(),
          "MD2withRSA",
          PKCSObjectIdentifiers.md5WithRSAEncryption.getId(),
          "MD5withRSA",
          PKCSObjectIdentifiers.sha1WithRSAEncryption.getId(),
          "SHA1withRSA",
          PKCSObjectIdentifiers.sha224WithRSAEncryption.getId(),
          "SHA224withRSA",
          PKCSObjectIdentifiers.id_RSASSA_PSS.getId(),
          "RSASSA-PSS",
          "1.2.840.10045.4.1",
          "SHA1withECDSA",
          "1.2.840.10045.4.3.2",
          "SHA256withECDSA",
          "1.3.101.112",
          "Ed25519");

  private CsrParser() {}

  static CertificateRequest parse(String pem) {
    Objects.requireNonNull(pem, "pem");
    if (pem.length() > CertificateRequest.MAX_PEM_CHARS) {
      throw bad("CSR larger than " + CertificateRequest.MAX_PEM_CHARS + " characters");
    }
    List<PemBlocks.Block> blocks;
    try {
      blocks = PemBlocks.read(pem, true);
    } catch (PemSyntaxException e) {
      throw bad("CSR is not valid PEM: " + e.getMessage());
    }
    if (blocks.size() != 1) {
      throw bad("expected one CERTIFICATE REQUEST block, found " + blocks.size());
    }
    PemBlocks.Block block = blocks.get(0);
    if (!LABELS.contains(block.label())) {
      throw bad("expected a CERTIFICATE REQUEST block, found " + block.label());
    }
    return parse(block.der());
  }

  static CertificateRequest parse(byte[] der) {
    PKCS10CertificationRequest csr;
    SubjectPublicKeyInfo keyInfo;
    String signatureOid;
    byte[] subject;
    try {
      csr =
          new PKCS10CertificationRequest(
              CertificationRequest.getInstance(ASN1Primitive.fromByteArray(der)));
      keyInfo = csr.getSubjectPublicKeyInfo();
      signatureOid = csr.getSignatureAlgorithm().getAlgorithm().getId();
      subject = csr.getSubject().getEncoded(ASN1Encoding.DER);
    } catch (IOException | RuntimeException e) {
      throw bad("CSR is not a valid PKCS#10 structure");
    }
    PublicKey key = rsaKey(keyInfo);
    RsaKeys.requireAcceptable(key);
    if (!SIGNATURES.contains(signatureOid)) {
      throw bad(
          "CSR signature algorithm "
              + SIGNATURE_NAMES.getOrDefault(signatureOid, signatureOid)
              + " refused: SHA256withRSA, SHA384withRSA or SHA512withRSA required");
    }
    verify(csr, key);
    String commonName = commonName(subject);
    Optional<UUID> instance = instance(csr);
    return new CertificateRequest(der.clone(), commonName, key, instance);
  }

  private static PublicKey rsaKey(SubjectPublicKeyInfo keyInfo) {
    String oid;
    byte[] spki;
    try {
      oid = keyInfo.getAlgorithm().getAlgorithm().getId();
      spki = keyInfo.getEncoded(ASN1Encoding.DER);
    } catch (IOException | RuntimeException e) {
      throw bad("CSR public key is malformed");
    }
    if (!oid.equals(KeyAlgorithms.RSA_ENCRYPTION)) {
      throw RsaKeys.unsupported(KeyAlgorithms.name(oid));
    }
    try {
      return KeyFactory.getInstance("RSA", BouncyCastle.provider())
          .generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw bad("CSR public key is not a valid RSA key");
    }
  }

  private static void verify(PKCS10CertificationRequest csr, PublicKey key) {
    boolean valid;
    try {
      valid =
          csr.isSignatureValid(
              new JcaContentVerifierProviderBuilder()
                  .setProvider(BouncyCastle.provider())
                  .build(key));
    } catch (OperatorCreationException | PKCSException | RuntimeException e) {
      valid = false;
    }
    if (!valid) {
      throw new CryptoException(CryptoException.BAD_SIGNATURE, "CSR signature does not verify");
    }
  }

  private static String commonName(byte[] subject) {
    List<Optional<String>> names;
    try {
      names = CommonNames.of(subject);
    } catch (RuntimeException e) {
      throw bad("CSR subject is malformed");
    }
    if (names.size() != 1) {
      throw bad("CSR subject must contain exactly one CN, found " + names.size());
    }
    String cn = names.get(0).orElseThrow(() -> bad("CSR common name is not a directory string"));
    Optional<String> problem = CommonNames.problem(cn);
    if (problem.isPresent()) {
      throw bad("CSR common name " + problem.get());
    }
    return cn;
  }

  private static Optional<UUID> instance(PKCS10CertificationRequest csr) {
    List<String> uuidUris = new ArrayList<>();
    try {
      for (Attribute attribute :
          csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
        for (ASN1Encodable extensions : attribute.getAttrValues()) {
          for (ASN1Encodable element : ASN1Sequence.getInstance(extensions)) {
            Extension extension = Extension.getInstance(element);
            if (extension.getExtnId().equals(Extension.subjectAlternativeName)) {
              collectUuidUris(extension, uuidUris);
            }
          }
        }
      }
    } catch (RuntimeException e) {
      if (e instanceof CryptoException) {
        throw e;
      }
      throw bad("CSR extension request is malformed");
    }
    if (uuidUris.size() > 1) {
      throw bad("CSR has more than one urn:uuid SAN");
    }
    if (uuidUris.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        UuidUris.version4(uuidUris.get(0))
            .orElseThrow(() -> bad("CSR urn:uuid SAN is not a version-4 UUID")));
  }

  private static void collectUuidUris(Extension extension, List<String> uuidUris) {
    List<String> uris;
    try {
      uris = SubjectAltNames.uris(extension.getExtnValue().getOctets());
    } catch (RuntimeException e) {
      throw bad("CSR subjectAltName is malformed");
    }
    for (String uri : uris) {
      if (UuidUris.isUuidUri(uri)) {
        uuidUris.add(uri);
      }
    }
  }

  private static CryptoException bad(String message) {
    return new CryptoException(CryptoException.BAD_CSR, message);
  }
}
