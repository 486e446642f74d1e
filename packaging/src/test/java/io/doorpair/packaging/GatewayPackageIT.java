package io.doorpair.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code doorpair-gateway}: ipgw and b2b, their units, user {@code doorpair-gw}; the b2b unit is
 * what ipgw's kill switch starts and stops, and reloads (SIGHUP) on ACL changes.
 */
class GatewayPackageIT extends PackageContract {
  static final PackageSpec SPEC =
      new PackageSpec(
          "doorpair-gateway",
          "/usr/share/doorpair/gateway",
          "doorpair-gw",
          List.of(
              new PackageSpec.Program("ipgw", "ipgw-pairing", "ipgw.service", "/etc/default/ipgw"),
              new PackageSpec.Program("b2b", "ipgw-b2b", "b2b.service", "/etc/default/b2b")),
          Map.of("/etc/default/ipgw", "-rw-r--r--", "/etc/default/b2b", "-rw-r--r--"),
          List.of("/etc/b2b", "/etc/b2b/tls", "/var/lib/ipgw", "/var/spool/b2b"));

  private static final String POLKIT_RULE = "/usr/share/polkit-1/rules.d/50-doorpair-gateway.rules";

  @Override
  PackageSpec spec() {
    return SPEC;
  }

  @Test
  void b2bUnitIsLeftToTheKillSwitchAndReloadsBySighup() {
    UnitFile b2b = UnitFile.read(installed(UNIT_DIR + "/b2b.service"));
    assertThat(b2b.hasSection("Install")).as("b2b.service is never enabled on its own").isFalse();
    assertThat(b2b.value("Service", "ExecReload")).isEqualTo("/bin/kill -HUP $MAINPID");
    assertThat(b2b.value("Service", "SuccessExitStatus")).isEqualTo("143");
    assertThat(b2b.value("Service", "ReadWritePaths")).isEqualTo("/var/spool/b2b");

    UnitFile ipgw = UnitFile.read(installed(UNIT_DIR + "/ipgw.service"));
    assertThat(ipgw.value("Service", "ExecStart")).contains("--b2b-systemd-unit b2b.service");
    assertThat(ipgw.value("Service", "ReadWritePaths").split(" "))
        .containsExactly("/etc/b2b", "-/etc/flexisip", "/var/spool/b2b");
    assertThat(ipgw.value("Service", "StateDirectory")).isEqualTo("ipgw");
    assertThat(ipgw.values("Install", "WantedBy")).containsExactly("multi-user.target");
  }

  @Test
  void polkitRuleLetsOnlyTheGatewayUserManageOnlyB2b() throws IOException {
    assertThat(entry(POLKIT_RULE).mode()).isEqualTo("-rw-r--r--");
    String rule = Files.readString(installed(POLKIT_RULE));
    assertThat(rule)
        .contains("action.id === \"org.freedesktop.systemd1.manage-units\"")
        .contains("subject.user === \"doorpair-gw\"")
        .contains("action.lookup(\"unit\") === \"b2b.service\"")
        .contains(
            "verb === \"start\"", "verb === \"stop\"", "verb === \"reload\"", "verb === \"kill\"")
        .doesNotContain("polkit.Result.AUTH_SELF")
        .containsOnlyOnce("polkit.Result.YES");
    assertThat(deb.fields().get("Recommends")).contains("polkitd");

    String manage = "org.freedesktop.systemd1.manage-units";
    List<String> allowed = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (String verb : List.of("start", "stop", "restart", "reload", "kill")) {
      allowed.add("doorpair-gw " + manage + " b2b.service " + verb);
      refused.add("nobody " + manage + " b2b.service " + verb);
      refused.add("doorpair-gw " + manage + " ipgw.service " + verb);
      refused.add("doorpair-gw " + manage + " ssh.service " + verb);
    }
    refused.add("doorpair-gw " + manage + " b2b.service enable");
    refused.add("doorpair-gw org.freedesktop.systemd1.manage-unit-files b2b.service start");
    refused.add("doorpair-gw org.freedesktop.login1.reboot b2b.service start");
    List<String> queries = new ArrayList<>(allowed);
    queries.addAll(refused);
    List<String> expected = new ArrayList<>();
    allowed.forEach(q -> expected.add(q + " -> yes"));
    refused.forEach(q -> expected.add(q + " -> not_handled"));
    assertThat(PolkitRules.answers(installed(POLKIT_RULE), work, queries))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void launcherFollowsASymlinkToItsInstallRoot() throws IOException {
    Path elsewhere = Files.createDirectories(work.resolve("elsewhere/bin"));
    Path link = Files.createSymbolicLink(elsewhere.resolve("b2b"), installed("/usr/bin/b2b"));
    String help = runExtracted(link, List.of("--help")).expectSuccess();
    assertThat(help).contains("Usage:", "serve");
  }

  @Test
  void launcherWithoutItsJarSaysSoAndExits2() throws IOException {
    Path bare = Files.createDirectories(work.resolve("bare/usr/bin"));
    Path copy = Files.copy(installed("/usr/bin/ipgw"), bare.resolve("ipgw"));
    Processes.Result result = runExtracted(copy, List.of("--help"));
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.output()).contains("ipgw.jar is missing: reinstall doorpair-gateway");
  }
}
