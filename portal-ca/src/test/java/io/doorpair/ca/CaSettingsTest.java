package io.doorpair.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CaSettingsTest {
  @Test
  void defaults_are_the_documented_ones() {
    CaSettings d = CaSettings.defaults();
    assertThat(d.keyBits()).isEqualTo(3072);
    assertThat(d.caValidity()).isEqualTo(Duration.ofDays(7305));
    assertThat(d.clientValidity()).isEqualTo(Duration.ofDays(730));
    assertThat(d.serverValidity()).isEqualTo(Duration.ofDays(365));
    assertThat(d.backdate()).isEqualTo(Duration.ofMinutes(5));
    assertThat(d.caCommonName()).isEqualTo("doorpair portal CA");
  }

  @Test
  void out_of_range_values_are_refused() {
    CaSettings d = CaSettings.defaults();
    assertThatThrownBy(() -> d.withKeyBits(1024))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keyBits must be between 2048 and 4096: 1024");
    assertThatThrownBy(
            () ->
                new CaSettings(
                    3072, Duration.ZERO, d.clientValidity(), d.serverValidity(), d.backdate(), "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new CaSettings(
                    3072,
                    Duration.ofDays(10),
                    Duration.ofDays(11),
                    Duration.ofDays(1),
                    d.backdate(),
                    "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clientValidity must not exceed caValidity");
    assertThatThrownBy(
            () ->
                new CaSettings(
                    3072,
                    d.caValidity(),
                    d.clientValidity(),
                    d.serverValidity(),
                    Duration.ofDays(2),
                    "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new CaSettings(
                    3072, d.caValidity(), d.clientValidity(), d.serverValidity(), d.backdate(), ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("caCommonName must be 1 to 64 printable ASCII characters");
  }
}
