package io.doorpair.packaging;

import java.util.List;

/** {@code doorpair-gateway} installed, run, removed and purged in an overlay of this machine. */
class GatewayInstallIT extends InstallContract {
  @Override
  PackageSpec spec() {
    return GatewayPackageIT.SPEC;
  }

  @Override
  List<String> extraUserDirs() {
    // The Flexisip password file's folder, made for ipgw when no Flexisip owns it.
    return List.of("/etc/flexisip");
  }

  @Override
  String secretFile() {
    return "/etc/b2b/tls/agent.pem";
  }
}
