package io.doorpair.welcome.cli;

import io.doorpair.welcome.flow.WelcomeApp;
import io.doorpair.welcome.profile.AtomicFiles;
import io.doorpair.welcome.profile.Profile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code welcome linphonerc DOMAIN}: writes a linphonerc (0600) for linphonec/linphone-daemon. */
@Command(
    name = "linphonerc",
    description =
        "Write a linphonerc (0600: it holds the SIP password) that makes linphonec or"
            + " linphone-daemon use this device's identity and its account on DOMAIN.")
final class LinphonercCommand implements Callable<Integer> {
  @ParentCommand WelcomeCommand root;

  @Parameters(paramLabel = "DOMAIN", description = "the gateway DOMAIN")
  String domain;

  @Option(
      names = "--proxy",
      required = true,
      paramLabel = "HOST:PORT",
      description = "the portal SIP server over TLS; HOST as its certificate names it")
  String proxy;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "where to write it; default PROFILE/linphonerc-DOMAIN")
  Path out;

  @Override
  public Integer call() throws IOException {
    int colon = proxy.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--proxy must be HOST:PORT");
    }
    int port;
    try {
      port = Integer.parseInt(proxy.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--proxy port must be a number");
    }
    Profile profile = root.profile();
    WelcomeApp app = WelcomeApp.open(profile);
    LinphoneRc rc =
        new LinphoneRc(
            profile,
            app.identity().settings(),
            app.account(domain).account(),
            app.sipPassword(domain).reveal(),
            proxy.substring(0, colon),
            port);
    Path target = out != null ? out : profile.folder().resolve("linphonerc-" + domain);
    AtomicFiles.writeSecret(target, rc.text());
    root.out().print(Map.of("linphonerc", target.toString()), "Wrote " + target + "\n");
    return WelcomeCommand.OK;
  }
}
