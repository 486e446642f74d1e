package io.doorpair.welcome.cli;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.Pem;
import io.doorpair.welcome.flow.Pairing;
import io.doorpair.welcome.flow.PairingRequest;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.profile.PairedIdentity;
import io.doorpair.welcome.profile.Profile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import okhttp3.HttpUrl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code welcome pair}: steps 1-5, a new key and certificate in the profile. */
@Command(
    name = "pair",
    description =
        "Pair this device with a portal: make a key, get a certificate (password from the prompt"
            + " or the first line of standard input).")
final class PairCommand implements Callable<Integer> {
  @ParentCommand WelcomeCommand root;

  @Option(names = "--portal", required = true, paramLabel = "URL", description = "portal API URL")
  String portal;

  @Option(names = "--user", required = true, paramLabel = "NAME", description = "portal user")
  String user;

  @Option(
      names = "--name",
      required = true,
      paramLabel = "FRIENDLY_NAME",
      description = "this device's name, e.g. \"Alice's phone\"")
  String name;

  @Option(
      names = "--sip-domain",
      paramLabel = "DOMAIN",
      description = "portal SIP domain (CN user@DOMAIN); default: the portal URL's host")
  String sipDomain;

  @Option(
      names = "--ca",
      paramLabel = "FILE",
      description = "trust this CA for the portal's HTTPS certificate (else the system's CAs)")
  Path ca;

  @Override
  public Integer call() throws IOException {
    Profile profile = root.profile();
    PortalClient.Builder builder = PortalClient.builder(portal);
    if (ca != null) {
      builder.trustAnchors(
          List.of(
              Pem.parseCertificate(new String(Files.readAllBytes(ca), StandardCharsets.UTF_8))));
    }
    PortalClient firstContact = builder.build();
    String domain = sipDomain != null ? sipDomain : HttpUrl.get(portal).host();
    PairingRequest request = new PairingRequest(user, domain, name);
    if (profile.isPaired()) {
      throw new IllegalArgumentException("profile " + profile.folder() + " is already paired");
    }
    char[] password =
        PasswordInput.read("Portal password for " + request.username() + ": ", System.in);
    PairedIdentity identity;
    try {
      identity = new Pairing(new SecureRandom()).pair(firstContact, profile, request, password);
    } finally {
      Arrays.fill(password, '\0');
    }
    CertificateIdentity id = CertificateIdentity.of(identity.certificate());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("profile", profile.folder().toString());
    json.put("common_name", id.commonName());
    json.put("serial", id.serial().toString(16));
    json.put("instance", identity.settings().instance().toString());
    json.put("gruu", identity.settings().gruu());
    json.put("not_after", identity.certificate().getNotAfter().toInstant().toString());
    root.out()
        .print(
            json,
            "Paired as "
                + id.commonName()
                + " (serial "
                + id.serial().toString(16)
                + "), profile "
                + profile.folder()
                + "\nNext: welcome gateways, then welcome request DOMAIN\n");
    return WelcomeCommand.OK;
  }
}
