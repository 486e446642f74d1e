package io.doorpair.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code doorpair-portal}: portal and portal-sip, their units, user {@code doorpair-portal}. */
class PortalPackageIT extends PackageContract {
  static final PackageSpec SPEC =
      new PackageSpec(
          "doorpair-portal",
          "/usr/share/doorpair/portal",
          "doorpair-portal",
          List.of(
              new PackageSpec.Program(
                  "portal", "portal-api", "portal.service", "/etc/default/portal"),
              new PackageSpec.Program(
                  "portal-sip",
                  "portal-sip-edge",
                  "portal-sip.service",
                  "/etc/default/portal-sip")),
          // /etc/default/portal may hold a PostgreSQL password (PORTAL_DB).
          Map.of("/etc/default/portal", "-rw-------", "/etc/default/portal-sip", "-rw-r--r--"),
          List.of("/var/lib/doorpair-portal", "/etc/doorpair/portal-sip"));

  @Override
  PackageSpec spec() {
    return SPEC;
  }

  @Test
  void portalKeepsItsCaAndDatabaseInItsOwnStateFolder() {
    UnitFile portal = UnitFile.read(installed(UNIT_DIR + "/portal.service"));
    assertThat(portal.value("Service", "StateDirectory")).isEqualTo("doorpair-portal");
    assertThat(portal.value("Service", "StateDirectoryMode")).isEqualTo("0700");
    assertThat(portal.value("Service", "Environment"))
        .isEqualTo("PORTAL_DATA=/var/lib/doorpair-portal");
    assertThat(portal.values("Install", "WantedBy")).containsExactly("multi-user.target");
  }

  @Test
  void portalSipNodeTakesItsCertificatesFromTheEnvironmentFile() {
    UnitFile sip = UnitFile.read(installed(UNIT_DIR + "/portal-sip.service"));
    assertThat(sip.value("Service", "ExecStart"))
        .contains(
            "--ca ${PORTAL_SIP_CA}",
            "--cert ${PORTAL_SIP_CERT}",
            "--key ${PORTAL_SIP_KEY}",
            "--crl ${PORTAL_SIP_CRL}");
    assertThat(sip.values("Service", "ReadWritePaths")).as("the node writes nothing").isEmpty();
  }
}
