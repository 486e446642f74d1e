package io.doorpair.sipedge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PeersTest {
  private static final String MISSING = "doorpair-no-such-peer";

  @Test
  void installed_program_is_found_on_the_path() {
    assertThat(Peers.require("sh", "dash", true)).isExecutable();
  }

  @Test
  void missing_program_skips_the_test_with_the_package_to_install() {
    assertThatThrownBy(() -> Peers.require(MISSING, "some-package", false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining(MISSING)
        .hasMessageContaining("apt-get install -y some-package");
  }

  @Test
  void missing_program_fails_the_test_in_ci() {
    assertThatThrownBy(() -> Peers.require(MISSING, "some-package", true))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("required in CI");
  }

  @Test
  void names_with_a_path_are_refused() {
    assertThatThrownBy(() -> Peers.find("../bin/sh")).isInstanceOf(IllegalArgumentException.class);
  }
}
