package io.doorpair.portal.cli;

import io.doorpair.ca.CaKeyFiles;
import io.doorpair.ca.CaKeyring;
import io.doorpair.ca.CaRotation;
import io.doorpair.ca.CaSettings;
import io.doorpair.ca.CertificateAuthority;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portal ca status|rotate|retire-old}: the operator rotates the portal CA, offline (the
 * portal stopped), as docs/ca-rotation.md describes.
 */
@Command(
    name = "ca",
    description = "Show, rotate or retire the portal CA (with the portal stopped).",
    subcommands = {CaCommand.Status.class, CaCommand.Rotate.class, CaCommand.RetireOld.class})
final class CaCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: status, rotate or retire-old");
  }

  /** The data folder option of every {@code ca} subcommand. */
  static final class DataOption {
    @Option(
        names = "--data",
        defaultValue = "${env:PORTAL_DATA:-portal-data}",
        description = "the portal's data folder, holding the CA; env PORTAL_DATA")
    Path data;
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Print the issuing CA and, during a rotation, the previous one.")
  static final class Status implements Runnable {
    @CommandLine.Mixin DataOption options;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      requireCa(options.data);
      CaKeyring ring =
          CaKeyFiles.loadKeyring(
              options.data, CaSettings.defaults(), Clock.systemUTC(), new SecureRandom());
      PrintWriter out = spec.commandLine().getOut();
      out.println("issuing CA: " + describe(ring.current().certificate()));
      out.println(
          "previous CA: "
              + ring.previous()
                  .map(CertificateAuthority::certificate)
                  .map(CaCommand::describe)
                  .orElse("none"));
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description =
          "Make a new CA key (0600) and certificate; the old CA stays trusted until retire-old.")
  static final class Rotate implements Runnable {
    @CommandLine.Mixin DataOption options;

    @Option(
        names = "--key-bits",
        defaultValue = "" + CaSettings.DEFAULT_KEY_BITS,
        description = "RSA key size of the new CA, 2048 to 4096 (default ${DEFAULT-VALUE})")
    int keyBits;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      requireStopped(options.data);
      requireCa(options.data);
      X509Certificate fresh =
          CaRotation.rotate(
              options.data,
              CaSettings.defaults().withKeyBits(keyBits),
              Clock.systemUTC(),
              new SecureRandom());
      PrintWriter out = spec.commandLine().getOut();
      out.println("new issuing CA: " + describe(fresh));
      out.println(
          "back up "
              + options.data
              + " now, start the portal, let every device renew, then run: portal ca retire-old");
    }
  }

  @Command(
      name = "retire-old",
      mixinStandardHelpOptions = true,
      description =
          "Stop trusting the previous CA and delete its key: its certificates are refused.")
  static final class RetireOld implements Runnable {
    @CommandLine.Mixin DataOption options;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      requireStopped(options.data);
      requireCa(options.data);
      X509Certificate retired = CaRotation.retireOld(options.data);
      spec.commandLine().getOut().println("retired CA: " + describe(retired));
    }
  }

  private static final Pattern PID = Pattern.compile("\"pid\":([0-9]{1,19})");

  /** Refuses while a portal process named by {@code ready.json} is alive on this data folder. */
  static void requireStopped(Path data) {
    Path ready = data.resolve("ready.json");
    if (!Files.isRegularFile(ready)) {
      return;
    }
    String json;
    try {
      json = Files.readString(ready, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + ready, e);
    }
    Matcher pid = PID.matcher(json);
    if (pid.find()) {
      long running = Long.parseLong(pid.group(1));
      if (ProcessHandle.of(running).map(ProcessHandle::isAlive).orElse(false)) {
        throw new IllegalStateException(
            "a portal (pid " + running + ") is running on " + data + ": stop it first");
      }
    }
  }

  private static void requireCa(Path data) {
    if (!Files.exists(data.resolve(CaKeyFiles.CERTIFICATE_FILE))) {
      throw new IllegalArgumentException(
          "no portal CA in " + data + ": run portal serve once with this --data first");
    }
  }

  private static String describe(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName()
        + " serial "
        + certificate.getSerialNumber().toString(16)
        + " valid until "
        + certificate.getNotAfter().toInstant();
  }
}
