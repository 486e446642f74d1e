package io.doorpair.crypto.testing;

import io.doorpair.crypto.Pem;
import io.doorpair.crypto.RsaKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * A test PKI made in code (STYLE: never checked-in keystores): a test CA, client and server leaves,
 * and the bad cases a verifier must refuse (a look-alike rogue CA, a self-signed client, an expired
 * client, revocation through a CRL).
 *
 * <p>Client certificates have the shape the portal CA issues (DESIGN §3): CN only, CA:false, key
 * usage digitalSignature + keyEncipherment, EKU clientAuth, SAN URIs {@code sip:<CN>} and {@code
 * urn:uuid:<instance>}. RSA 2048 keys come from a small static pool generated lazily and reused, so
 * that tests stay fast: two leaves issued in a row have different keys, but keys repeat after
 * {@value #LEAF_POOL} leaves.
 */
public final class TestPki {
  /** How many leaf keys the pool holds. */
  public static final int LEAF_POOL = 8;

  private static final int CA_POOL = 4;
  private static final KeyPair[] LEAF_KEYS = new KeyPair[LEAF_POOL];
  private static final KeyPair[] CA_KEYS = new KeyPair[CA_POOL];
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Provider BC = new BouncyCastleProvider();
  private static int nextLeaf;
  private static int nextCa;
  private static TestPki shared;

  private final KeyPair caKeys;
  private final X509Certificate caCertificate;
  private final KeyPair rogueKeys;
  private final X509Certificate rogueCertificate;
  private final AtomicLong crlNumber = new AtomicLong();

  private TestPki(String caCommonName) {
    this.caKeys = nextCaKey();
    this.rogueKeys = nextCaKey();
    Instant now = Instant.now();
    Instant notAfter = now.plus(Duration.ofDays(3650));
    this.caCertificate =
        selfSignedCa(caCommonName, caKeys, now.minus(Duration.ofDays(1)), notAfter);
    this.rogueCertificate =
        selfSignedCa(caCommonName, rogueKeys, now.minus(Duration.ofDays(1)), notAfter);
  }

  /** The PKI shared by every test of this JVM, with CA {@code CN=doorpair test CA}. */
  public static synchronized TestPki shared() {
    if (shared == null) {
      shared = new TestPki("doorpair test CA");
    }
    return shared;
  }

  /** A PKI of its own (its CA keys come from a pool of {@value #CA_POOL}, reused). */
  public static TestPki create(String caCommonName) {
    return new TestPki(caCommonName);
  }

  /** The next RSA 2048 key of the leaf pool (round robin). */
  public static synchronized KeyPair nextKey() {
    int slot = nextLeaf;
    nextLeaf = (nextLeaf + 1) % LEAF_POOL;
    return pooled(LEAF_KEYS, slot);
  }

  /** The RSA 2048 key in a fixed slot of the leaf pool ({@code 0 <= slot < LEAF_POOL}). */
  public static synchronized KeyPair pooledKey(int slot) {
    return pooled(LEAF_KEYS, slot);
  }

  private static synchronized KeyPair nextCaKey() {
    int slot = nextCa;
    nextCa = (nextCa + 1) % CA_POOL;
    return pooled(CA_KEYS, slot);
  }

  private static KeyPair pooled(KeyPair[] pool, int slot) {
    if (pool[slot] == null) {
      pool[slot] = RsaKeys.generate(2048, RANDOM);
    }
    return pool[slot];
  }

  /** The CA certificate. */
  public X509Certificate caCertificate() {
    return caCertificate;
  }

  /** The CA certificate as PEM. */
  public String caPem() {
    return Pem.certificate(caCertificate);
  }

  /** The CA key pair. */
  public KeyPair caKeys() {
    return caKeys;
  }

  /** The rogue CA: same subject as the real CA, another key. */
  public X509Certificate rogueCaCertificate() {
    return rogueCertificate;
  }

  /** A client certificate signed by the CA, valid from an hour ago for a year. */
  public Leaf issueClient(String commonName, Optional<UUID> instance) {
    return issueClient(commonName, instance, nextKey());
  }

  /** A client certificate signed by the CA for a given key. */
  public Leaf issueClient(String commonName, Optional<UUID> instance, KeyPair keys) {
    Instant now = Instant.now();
    return client(
        commonName,
        instance,
        keys,
        caKeys,
        caCertificate,
        now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofDays(365)));
  }

  /** A client certificate with the same names, signed by the look-alike rogue CA. */
  public Leaf issueRogueClient(String commonName, Optional<UUID> instance) {
    Instant now = Instant.now();
    return client(
        commonName,
        instance,
        nextKey(),
        rogueKeys,
        rogueCertificate,
        now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofDays(365)));
  }

  /** A client certificate signed by its own key (its issuer is itself). */
  public Leaf selfSignedClient(String commonName, Optional<UUID> instance) {
    Instant now = Instant.now();
    KeyPair keys = nextKey();
    return client(
        commonName,
        instance,
        keys,
        keys,
        null,
        now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofDays(365)));
  }

  /** A client certificate signed by the CA that expired yesterday. */
  public Leaf expiredClient(String commonName, Optional<UUID> instance) {
    Instant now = Instant.now();
    return client(
        commonName,
        instance,
        nextKey(),
        caKeys,
        caCertificate,
        now.minus(Duration.ofDays(730)),
        now.minus(Duration.ofDays(1)));
  }

  /**
   * A server certificate signed by the CA: CN is the first name, SAN DNS names and IP addresses
   * (each argument is one or the other), EKU serverAuth.
   */
  public Leaf issueServer(String... dnsOrIp) {
    return issueServerLike(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth}, dnsOrIp);
  }

  /**
   * A SIP node certificate signed by the CA, as {@code CertificateAuthority.issueNode} makes them:
   * as {@link #issueServer} with EKU serverAuth and clientAuth.
   */
  public Leaf issueNode(String... dnsOrIp) {
    return issueServerLike(
        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}, dnsOrIp);
  }

  private Leaf issueServerLike(KeyPurposeId[] purposes, String... dnsOrIp) {
    if (dnsOrIp.length == 0) {
      throw new IllegalArgumentException("a server certificate needs at least one name");
    }
    KeyPair keys = nextKey();
    List<GeneralName> names = new ArrayList<>();
    for (String name : dnsOrIp) {
      boolean ip = IPAddress.isValid(name);
      names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, name));
    }
    Instant now = Instant.now();
    try {
      X509v3CertificateBuilder builder =
          leafBuilder(
              dnsOrIp[0],
              keys.getPublic(),
              caCertificate,
              now.minus(Duration.ofHours(1)),
              now.plus(Duration.ofDays(365)));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.toArray(new GeneralName[0])));
      addKeyIds(builder, keys.getPublic(), caKeys.getPublic());
      return new Leaf(keys, sign(builder, caKeys.getPrivate()), caCertificate);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A CRL signed by the CA listing {@code serials}, issued a minute ago, next update tomorrow. */
  public X509CRL crl(BigInteger... serials) {
    Instant now = Instant.now();
    return crl(
        Arrays.asList(serials), now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(1)));
  }

  /** A CRL signed by the CA with given update times (e.g. a stale one). */
  public X509CRL crl(List<BigInteger> serials, Instant thisUpdate, Instant nextUpdate) {
    return crl(serials, thisUpdate, nextUpdate, caKeys, caCertificate);
  }

  /** A CRL listing {@code serials} with the CA's name, signed by the rogue CA. */
  public X509CRL rogueCrl(BigInteger... serials) {
    Instant now = Instant.now();
    return crl(
        Arrays.asList(serials),
        now.minus(Duration.ofMinutes(1)),
        now.plus(Duration.ofDays(1)),
        rogueKeys,
        rogueCertificate);
  }

  private X509CRL crl(
      List<BigInteger> serials,
      Instant thisUpdate,
      Instant nextUpdate,
      KeyPair signer,
      X509Certificate issuer) {
    try {
      X509v2CRLBuilder builder = new X509v2CRLBuilder(name(issuer), Date.from(thisUpdate));
      builder.setNextUpdate(Date.from(nextUpdate));
      for (BigInteger serial : serials) {
        builder.addCRLEntry(serial, Date.from(thisUpdate), (Extensions) null);
      }
      builder.addExtension(
          Extension.cRLNumber,
          false,
          new CRLNumber(BigInteger.valueOf(crlNumber.incrementAndGet())));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(signer.getPublic()));
      byte[] der = builder.build(signer(signer.getPrivate())).getEncoded();
      return (X509CRL)
          CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private Leaf client(
      String commonName,
      Optional<UUID> instance,
      KeyPair keys,
      KeyPair signer,
      X509Certificate issuer,
      Instant notBefore,
      Instant notAfter) {
    Objects.requireNonNull(commonName, "commonName");
    Objects.requireNonNull(instance, "instance");
    List<ASN1Encodable> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, "sip:" + commonName));
    instance.ifPresent(
        u -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, "urn:uuid:" + u)));
    try {
      X509v3CertificateBuilder builder =
          leafBuilder(commonName, keys.getPublic(), issuer, notBefore, notAfter);
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          GeneralNames.getInstance(new DERSequence(names.toArray(new ASN1Encodable[0]))));
      addKeyIds(builder, keys.getPublic(), signer.getPublic());
      X509Certificate certificate = sign(builder, signer.getPrivate());
      return new Leaf(keys, certificate, issuer == null ? certificate : issuer);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509v3CertificateBuilder leafBuilder(
      String commonName, PublicKey key, X509Certificate issuer, Instant notBefore, Instant notAfter)
      throws IOException {
    X500Name subject = cn(commonName);
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer == null ? subject : name(issuer),
            serial(),
            Date.from(notBefore),
            Date.from(notAfter),
            subject,
            key);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    return builder;
  }

  private static X509Certificate selfSignedCa(
      String commonName, KeyPair keys, Instant notBefore, Instant notAfter) {
    try {
      X500Name subject = cn(commonName);
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              serial(),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
      return sign(builder, keys.getPrivate());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void addKeyIds(
      X509v3CertificateBuilder builder, PublicKey subject, PublicKey issuer)
      throws IOException, GeneralSecurityException {
    JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
    builder.addExtension(
        Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subject));
    AuthorityKeyIdentifier aki =
        new AuthorityKeyIdentifier(utils.createSubjectKeyIdentifier(issuer).getKeyIdentifier());
    builder.addExtension(Extension.authorityKeyIdentifier, false, aki);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    X509CertificateHolder holder = builder.build(signer(key));
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ContentSigner signer(PrivateKey key) {
    try {
      return new JcaContentSignerBuilder("SHA256withRSA").setProvider(BC).build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X500Name cn(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.CN, new DERUTF8String(commonName))
        .build();
  }

  private static X500Name name(X509Certificate certificate) {
    return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
  }

  private static BigInteger serial() {
    BigInteger serial;
    do {
      serial = new BigInteger(127, RANDOM);
    } while (serial.signum() == 0);
    return serial;
  }

  /**
   * A key pair with its certificate and the certificate of its issuer (itself when self-signed).
   *
   * @param keys the leaf's key pair
   * @param certificate the leaf certificate
   * @param issuer the issuing CA's certificate
   */
  public record Leaf(KeyPair keys, X509Certificate certificate, X509Certificate issuer) {
    /** The certificate serial. */
    public BigInteger serial() {
      return certificate.getSerialNumber();
    }

    /** The certificate as PEM. */
    public String certificatePem() {
      return Pem.certificate(certificate);
    }

    /** The private key as PKCS#8 PEM. */
    public String privateKeyPem() {
      return Pem.privateKey(keys.getPrivate());
    }

    /** The private key then the certificate, as in a gateway's {@code agent.pem}. */
    public String agentPem() {
      return privateKeyPem() + certificatePem();
    }
  }
}
