package io.doorpair.packaging;

import java.util.List;

/** {@code doorpair-portal} installed, run, removed and purged in an overlay of this machine. */
class PortalInstallIT extends InstallContract {
  @Override
  PackageSpec spec() {
    return PortalPackageIT.SPEC;
  }

  @Override
  List<String> extraUserDirs() {
    return List.of();
  }

  @Override
  String secretFile() {
    return "/var/lib/doorpair-portal/ca-key.pem";
  }
}
