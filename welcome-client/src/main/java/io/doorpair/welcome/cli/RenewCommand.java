package io.doorpair.welcome.cli;

import io.doorpair.welcome.flow.WelcomeApp;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code welcome renew [--now]}: renews the device certificate when its end is near or the portal
 * CA was rotated (then the profile pins the new CA), or at once with {@code --now}.
 */
@Command(
    name = "renew",
    description =
        "Renew this device's certificate when it is near its end or the portal CA was rotated"
            + " (the new CA is then pinned).")
final class RenewCommand implements Callable<Integer> {
  @ParentCommand WelcomeCommand root;

  @Option(names = "--now", description = "renew now, due or not")
  boolean now;

  @Override
  public Integer call() {
    WelcomeApp app = root.app();
    Optional<X509Certificate> renewed =
        now ? Optional.of(app.renew()) : app.renewIfCaRotated().or(app::renewIfDue);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("renewed", renewed.isPresent());
    if (renewed.isEmpty()) {
      root.out().print(json, "Not renewed: the certificate is not near its end.\n");
      return WelcomeCommand.OK;
    }
    X509Certificate certificate = renewed.get();
    json.put("serial", certificate.getSerialNumber().toString(16));
    json.put("not_after", certificate.getNotAfter().toInstant().toString());
    json.put("issuer", certificate.getIssuerX500Principal().getName());
    root.out()
        .print(
            json,
            "Renewed: serial "
                + certificate.getSerialNumber().toString(16)
                + ", valid until "
                + certificate.getNotAfter().toInstant()
                + ", issued by "
                + certificate.getIssuerX500Principal().getName()
                + "\n");
    return WelcomeCommand.OK;
  }
}
