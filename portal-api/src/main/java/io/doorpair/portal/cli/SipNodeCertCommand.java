package io.doorpair.portal.cli;

import io.doorpair.ca.CaKeyFiles;
import io.doorpair.ca.CaKeyring;
import io.doorpair.ca.CaSettings;
import io.doorpair.ca.CertificateAuthority;
import io.doorpair.ca.IssuedCertificate;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.portal.files.SecretFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portal sip-node-cert}: issues a separate SIP node's node certificate (serverAuth and
 * clientAuth, {@link CertificateAuthority#issueNode}) and key from the portal CA in the data
 * folder, and copies the CA certificate beside them: with the portal's {@code crl.pem} that is all
 * {@code portal-sip serve} needs. During a CA rotation's overlap the node certificate is issued by
 * the new CA, {@code ca.pem} holds both CA certificates (the new one first) and the printed command
 * names both CRLs, {@code crl.pem} and {@code crl-previous.pem}.
 */
@Command(
    name = "sip-node-cert",
    mixinStandardHelpOptions = true,
    description =
        "Issue a portal-sip node's node certificate (serverAuth + clientAuth) and key (0600) from the portal CA.")
final class SipNodeCertCommand implements Runnable {
  /** The key size of a node key (as the HTTPS server key). */
  static final int KEY_BITS = 2048;

  /** The previous CA's CRL, beside {@code crl.pem}, while a rotation is in its overlap. */
  static final String PREVIOUS_CRL_FILE = "crl-previous.pem";

  @Option(
      names = "--data",
      defaultValue = "${env:PORTAL_DATA:-portal-data}",
      description = "the portal's data folder, holding the CA; env PORTAL_DATA")
  Path data;

  @Option(
      names = "--name",
      required = true,
      description =
          "DNS name or IP address the node is reached at; repeatable (the first is the CN)")
  List<String> names = new ArrayList<>();

  @Option(
      names = "--out",
      required = true,
      description =
          "folder for sip-node.pem, sip-node-key.pem (0600) and ca.pem (both CAs during a CA"
              + " rotation's overlap)")
  Path out;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    if (!Files.exists(data.resolve(CaKeyFiles.CERTIFICATE_FILE))
        || !Files.exists(data.resolve(CaKeyFiles.KEY_FILE))) {
      throw new IllegalArgumentException(
          "no portal CA in " + data + ": run portal serve once with this --data first");
    }
    SecureRandom random = new SecureRandom();
    CaKeyring ring = CaKeyFiles.loadKeyring(data, CaSettings.defaults(), Clock.systemUTC(), random);
    CertificateAuthority ca = ring.current();
    List<String> dns = new ArrayList<>();
    List<String> ips = new ArrayList<>();
    for (String name : names) {
      if (looksLikeIp(name)) {
        ips.add(name);
      } else {
        dns.add(name.toLowerCase(java.util.Locale.ROOT));
      }
    }
    KeyPair keys = RsaKeys.generate(KEY_BITS, random);
    IssuedCertificate issued = ca.issueNode(keys.getPublic(), dns, ips);
    Path cert = out.resolve("sip-node.pem");
    Path key = out.resolve("sip-node-key.pem");
    Path caCopy = out.resolve("ca.pem");
    try {
      SecretFiles.writeSecret(key, Pem.privateKey(keys.getPrivate()));
      SecretFiles.writePublic(cert, issued.pem());
      StringBuilder bundle = new StringBuilder();
      for (X509Certificate anchor : ring.trustAnchors()) {
        bundle.append(Pem.certificate(anchor));
      }
      SecretFiles.writePublic(caCopy, bundle.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write into " + out + ": " + e.getMessage(), e);
    }
    PrintWriter printed = spec.commandLine().getOut();
    printed.println(
        "issued "
            + cert
            + " (serial "
            + issued.serial().toString(16)
            + ", valid until "
            + issued.notAfter()
            + ") with its key "
            + key
            + " and "
            + caCopy);
    printed.println(
        "run: bin/portal-sip serve --ca "
            + caCopy
            + " --cert "
            + cert
            + " --key "
            + key
            + " --crl "
            + data.resolve("crl.pem")
            + (ring.previous().isPresent() ? " --crl " + data.resolve(PREVIOUS_CRL_FILE) : ""));
    if (ring.previous().isPresent()) {
      printed.println(
          "a CA rotation is in its overlap: "
              + caCopy
              + " holds both CAs, each with its CRL; after portal ca retire-old run sip-node-cert"
              + " again and restart the node without the second --crl");
    }
  }

  private static boolean looksLikeIp(String name) {
    return name.matches("[0-9.]+") || name.contains(":");
  }
}
