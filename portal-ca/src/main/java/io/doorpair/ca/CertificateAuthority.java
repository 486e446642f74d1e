package io.doorpair.ca;

import io.doorpair.crypto.RsaKeys;
import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
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
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.util.IPAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portal CA: issues end-entity certificates and CRLs with one RSA key (DESIGN §3).
 *
 * <p>Every issued certificate is signed SHA256withRSA and carries: subject {@code CN} only;
 * basicConstraints CA:false (critical); keyUsage digitalSignature + keyEncipherment (critical); one
 * extended key usage (clientAuth, serverAuth for servers, both for SIP nodes); a subjectAltName;
 * subject and authority key identifiers; a serial of 127 random bits; notBefore backdated by {@link
 * CaSettings#backdate()}; notAfter never past the CA's own. Nothing is copied from a CSR but the
 * key and what the caller passes.
 *
 * <p>Thread-safe when the given {@link SecureRandom} is (the JDK's are).
 */
public final class CertificateAuthority {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthority.class);
  private static final Pattern CLIENT_CN = Pattern.compile("[!-?A-~]+@[!-?A-~]+");
  private static final Pattern DNS_NAME =
      Pattern.compile(
          "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  private final PrivateKey caKey;
  private final X509Certificate caCertificate;
  private final X500Name issuer;
  private final byte[] caKeyIdentifier;
  private final Instant caNotAfter;
  private final CaSettings settings;
  private final Clock clock;
  private final SecureRandom random;

  /**
   * A CA over an existing key and certificate.
   *
   * @throws IllegalArgumentException if the key does not match the certificate or the certificate
   *     is not a CA certificate
   * @throws io.doorpair.crypto.CryptoException if the CA key fails {@link
   *     RsaKeys#requireAcceptable}
   */
  public CertificateAuthority(
      PrivateKey caKey,
      X509Certificate caCert,
      CaSettings settings,
      Clock clock,
      SecureRandom random) {
    this.caKey = Signing.platformKey(Objects.requireNonNull(caKey, "caKey"));
    this.caCertificate = Objects.requireNonNull(caCert, "caCert");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    RsaKeys.requireAcceptable(caCert.getPublicKey());
    if (!Signing.matches(caKey, caCert.getPublicKey())) {
      throw new IllegalArgumentException("the CA key does not match the CA certificate");
    }
    if (caCert.getBasicConstraints() < 0) {
      throw new IllegalArgumentException("the CA certificate is not a CA certificate");
    }
    this.issuer = Signing.subject(caCert);
    this.caKeyIdentifier = Signing.keyIdentifierOf(caCert);
    this.caNotAfter = caCert.getNotAfter().toInstant();
  }

  /**
   * Makes a self-signed CA certificate for {@code caKeys} and returns the CA: CN {@link
   * CaSettings#caCommonName()}, basicConstraints CA:true pathLen 0 (critical), keyUsage keyCertSign
   * + cRLSign (critical), subjectKeyIdentifier, valid from now minus the backdate for {@link
   * CaSettings#caValidity()}.
   *
   * @throws io.doorpair.crypto.CryptoException if the key fails {@link RsaKeys#requireAcceptable}
   */
  public static CertificateAuthority createSelfSigned(
      KeyPair caKeys, CaSettings settings, Clock clock, SecureRandom random) {
    Objects.requireNonNull(caKeys, "caKeys");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    RsaKeys.requireAcceptable(caKeys.getPublic());
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    X500Name subject = commonName(settings.caCommonName());
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject,
            SerialNumbers.next(random),
            Date.from(now.minus(settings.backdate())),
            Date.from(now.plus(settings.caValidity())),
            subject,
            caKeys.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, Signing.keyIdentifier(caKeys.getPublic()));
    } catch (IOException e) {
      throw new IllegalStateException("CA certificate extensions cannot be encoded", e);
    }
    X509Certificate certificate =
        Signing.certificate(builder.build(Signing.signer(caKeys.getPrivate())));
    LOG.info(
        "created CA certificate cn={} serial={} notAfter={}",
        settings.caCommonName(),
        certificate.getSerialNumber().toString(16),
        certificate.getNotAfter().toInstant());
    return new CertificateAuthority(caKeys.getPrivate(), certificate, settings, clock, random);
  }

  /** The CA certificate (what {@code GET /api/ca.pem} serves). */
  public X509Certificate certificate() {
    return caCertificate;
  }

  /** The settings this CA issues with. */
  public CaSettings settings() {
    return settings;
  }

  /**
   * Issues an app or gateway certificate: extended key usage clientAuth only, SAN URI {@code
   * sip:<commonName>} and, when {@code instance} is present, {@code urn:uuid:<instance>}; valid for
   * {@link CaSettings#clientValidity()}, clamped to the CA's notAfter.
   *
   * @param key the subject key, from a checked CSR
   * @param commonName {@code user@host}, at most 128 printable ASCII characters without spaces;
   *     decided by {@link CsrPolicy}
   * @param instance the device instance (apps), a version-4 UUID
   * @throws io.doorpair.crypto.CryptoException if {@code key} fails {@link
   *     RsaKeys#requireAcceptable}
   * @throws IllegalArgumentException for a malformed CN or a non-version-4 instance
   * @throws IllegalStateException if the CA certificate has expired
   */
  public IssuedCertificate issueClient(PublicKey key, String commonName, Optional<UUID> instance) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(commonName, "commonName");
    Objects.requireNonNull(instance, "instance");
    RsaKeys.requireAcceptable(key);
    if (commonName.length() > 128 || !CLIENT_CN.matcher(commonName).matches()) {
      throw new IllegalArgumentException(
          "client CN must be user@host in printable ASCII without spaces, at most 128 characters");
    }
    if (instance.isPresent() && (instance.get().version() != 4 || instance.get().variant() != 2)) {
      throw new IllegalArgumentException("instance must be a version-4 UUID");
    }
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, "sip:" + commonName));
    instance.ifPresent(
        u -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, "urn:uuid:" + u)));
    IssuedCertificate issued =
        issue(
            key,
            commonName,
            instance,
            settings.clientValidity(),
            List.of(KeyPurposeId.id_kp_clientAuth),
            names);
    LOG.info(
        "issued client certificate cn={} instance={} serial={} notAfter={}",
        commonName,
        instance.map(UUID::toString).orElse("-"),
        issued.serial().toString(16),
        issued.notAfter());
    return issued;
  }

  /**
   * Issues a TLS server certificate: extended key usage serverAuth only, SAN DNS names and IP
   * addresses, CN the first DNS name (else the first IP address); valid for {@link
   * CaSettings#serverValidity()}, clamped to the CA's notAfter.
   *
   * @throws io.doorpair.crypto.CryptoException if {@code key} fails {@link
   *     RsaKeys#requireAcceptable}
   * @throws IllegalArgumentException if there is no name, or a DNS name or IP address is malformed
   * @throws IllegalStateException if the CA certificate has expired
   */
  public IssuedCertificate issueServer(
      PublicKey key, List<String> dnsNames, List<String> ipAddresses) {
    return issueServerLike("server", key, dnsNames, ipAddresses, KeyPurposeId.id_kp_serverAuth);
  }

  /**
   * Issues a SIP node certificate: as {@link #issueServer} (SAN DNS names and IP addresses, CN the
   * first DNS name, else the first IP address) with extended key usage serverAuth <em>and</em>
   * clientAuth, so that the node can open mutual-TLS connections to the other SIP nodes. What makes
   * a certificate a node certificate for the SIP nodes: both purposes, and a CN without {@code @}
   * (app and gateway certificates carry clientAuth only and a CN {@code user@host}); the SIP nodes
   * check this form ({@code io.doorpair.sipedge.admission.NodeCertificates}).
   *
   * @throws io.doorpair.crypto.CryptoException if {@code key} fails {@link
   *     RsaKeys#requireAcceptable}
   * @throws IllegalArgumentException if there is no name, or a DNS name or IP address is malformed
   * @throws IllegalStateException if the CA certificate has expired
   */
  public IssuedCertificate issueNode(
      PublicKey key, List<String> dnsNames, List<String> ipAddresses) {
    return issueServerLike(
        "node",
        key,
        dnsNames,
        ipAddresses,
        KeyPurposeId.id_kp_serverAuth,
        KeyPurposeId.id_kp_clientAuth);
  }

  private IssuedCertificate issueServerLike(
      String kind,
      PublicKey key,
      List<String> dnsNames,
      List<String> ipAddresses,
      KeyPurposeId... purposes) {
    Objects.requireNonNull(key, "key");
    List<String> dns = List.copyOf(dnsNames);
    List<String> ips = List.copyOf(ipAddresses);
    RsaKeys.requireAcceptable(key);
    if (dns.isEmpty() && ips.isEmpty()) {
      throw new IllegalArgumentException(
          "a " + kind + " certificate needs a DNS name or an IP address");
    }
    List<GeneralName> names = new ArrayList<>();
    for (String name : dns) {
      if (!DNS_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not a DNS name: " + name);
      }
      names.add(new GeneralName(GeneralName.dNSName, name));
    }
    for (String ip : ips) {
      if (!IPAddress.isValid(ip)) {
        throw new IllegalArgumentException("not an IP address: " + ip);
      }
      names.add(new GeneralName(GeneralName.iPAddress, ip));
    }
    String commonName = dns.isEmpty() ? ips.get(0) : dns.get(0);
    IssuedCertificate issued =
        issue(
            key, commonName, Optional.empty(), settings.serverValidity(), List.of(purposes), names);
    LOG.info(
        "issued {} certificate cn={} serial={} notAfter={}",
        kind,
        commonName,
        issued.serial().toString(16),
        issued.notAfter());
    return issued;
  }

  private IssuedCertificate issue(
      PublicKey key,
      String commonName,
      Optional<UUID> instance,
      Duration validity,
      List<KeyPurposeId> purposes,
      List<GeneralName> names) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant notBefore = now.minus(settings.backdate());
    Instant wanted = now.plus(validity);
    Instant notAfter = wanted.isAfter(caNotAfter) ? caNotAfter : wanted;
    if (!notAfter.isAfter(now)) {
      throw new IllegalStateException("the CA certificate expired on " + caNotAfter);
    }
    BigInteger serial = SerialNumbers.next(random);
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer, serial, Date.from(notBefore), Date.from(notAfter), commonName(commonName), key);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.toArray(new GeneralName[0])));
      builder.addExtension(Extension.subjectKeyIdentifier, false, Signing.keyIdentifier(key));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(caKeyIdentifier));
    } catch (IOException e) {
      throw new IllegalStateException("certificate extensions cannot be encoded", e);
    }
    X509Certificate certificate = Signing.certificate(builder.build(Signing.signer(caKey)));
    return new IssuedCertificate(
        certificate,
        serial,
        commonName,
        instance,
        certificate.getNotBefore().toInstant(),
        certificate.getNotAfter().toInstant());
  }

  /**
   * Makes a CRL signed by the CA, listing {@code revoked} by serial order, with a cRLNumber and an
   * authorityKeyIdentifier.
   *
   * @param crlNumber a monotonically increasing number, 0 or more (RFC 5280 §5.2.3)
   * @param thisUpdate when this CRL is issued
   * @param nextUpdate when the next one will be issued, after {@code thisUpdate}
   * @throws IllegalArgumentException if a serial is listed twice, the number is negative or too
   *     long, or {@code nextUpdate} is not after {@code thisUpdate}
   */
  public X509CRL crl(
      List<RevokedSerial> revoked, BigInteger crlNumber, Instant thisUpdate, Instant nextUpdate) {
    List<RevokedSerial> entries = new ArrayList<>(List.copyOf(revoked));
    Objects.requireNonNull(crlNumber, "crlNumber");
    Objects.requireNonNull(thisUpdate, "thisUpdate");
    Objects.requireNonNull(nextUpdate, "nextUpdate");
    if (crlNumber.signum() < 0 || crlNumber.bitLength() > 159) {
      throw new IllegalArgumentException("crlNumber must be between 0 and 2^159 - 1");
    }
    if (!nextUpdate.isAfter(thisUpdate)) {
      throw new IllegalArgumentException("nextUpdate must be after thisUpdate");
    }
    Set<BigInteger> seen = new HashSet<>();
    for (RevokedSerial entry : entries) {
      if (!seen.add(entry.serial())) {
        throw new IllegalArgumentException(
            "serial " + entry.serial().toString(16) + " is listed twice");
      }
    }
    entries.sort(Comparator.comparing(RevokedSerial::serial));
    X509v2CRLBuilder builder = new X509v2CRLBuilder(issuer, Date.from(thisUpdate));
    builder.setNextUpdate(Date.from(nextUpdate));
    for (RevokedSerial entry : entries) {
      builder.addCRLEntry(entry.serial(), Date.from(entry.revokedAt()), (Extensions) null);
    }
    try {
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(caKeyIdentifier));
      builder.addExtension(Extension.cRLNumber, false, new CRLNumber(crlNumber));
    } catch (IOException e) {
      throw new IllegalStateException("CRL extensions cannot be encoded", e);
    }
    X509CRL crl = Signing.crl(builder.build(Signing.signer(caKey)));
    LOG.info(
        "issued CRL number={} entries={} nextUpdate={}", crlNumber, entries.size(), nextUpdate);
    return crl;
  }

  private static X500Name commonName(String cn) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, new DERUTF8String(cn)).build();
  }
}
