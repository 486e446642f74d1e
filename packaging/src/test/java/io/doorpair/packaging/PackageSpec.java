package io.doorpair.packaging;

import java.util.List;
import java.util.Map;

/**
 * What one package must hold: its programs (each with the source module whose {@code target/} jar
 * and {@code lib/} it ships, and its systemd unit), its system user, its conffiles with their
 * modes, and its key and state folders (0700).
 */
record PackageSpec(
    String name,
    String shareDir,
    String user,
    List<Program> programs,
    Map<String, String> conffileModes,
    List<String> keyDirs) {

  /** A program: {@code /usr/bin/NAME}, {@code SHARE/NAME.jar} from {@code module/target}. */
  record Program(String name, String module, String unit, String envFile) {}
}
