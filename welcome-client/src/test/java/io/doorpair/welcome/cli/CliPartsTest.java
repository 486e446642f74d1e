package io.doorpair.welcome.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's own parts: password input, large type, terminal safety, exit codes. */
class CliPartsTest {
  @TempDir Path dir;

  @Test
  void the_password_is_the_first_line_of_standard_input_without_its_line_end() {
    char[] password =
        PasswordInput.firstLine(
            new ByteArrayInputStream("s3cret pass\r\nignored\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(new String(password)).isEqualTo("s3cret pass");
  }

  @Test
  void an_empty_or_oversized_password_is_refused() {
    assertThatThrownBy(() -> PasswordInput.firstLine(new ByteArrayInputStream(new byte[0])))
        .hasMessageContaining("no password");
    byte[] big = new byte[5000];
    java.util.Arrays.fill(big, (byte) 'a');
    assertThatThrownBy(() -> PasswordInput.firstLine(new ByteArrayInputStream(big)))
        .hasMessageContaining("too long");
  }

  @Test
  void the_code_in_large_type_has_five_rows_and_a_gap_between_its_halves() {
    String big = BigText.render("4821baf6");
    assertThat(big.split("\n")).hasSize(5);
    assertThat(big.split("\n")[0]).startsWith("  #   #  #####");
    assertThatThrownBy(() -> BigText.render("4821xyz0"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void every_code_character_has_a_glyph_of_its_own() {
    java.util.Set<String> glyphs = new java.util.HashSet<>();
    for (char c : "0123456789abcdef".toCharArray()) {
      glyphs.add(BigText.render(String.valueOf(c)));
    }
    assertThat(glyphs).hasSize(16);
    assertThat(BigText.render("BAF6")).isEqualTo(BigText.render("baf6"));
  }

  @Test
  void text_from_the_portal_cannot_drive_the_terminal() {
    assertThat(Terminal.printable("Loft\u001b[2J\u0007")).isEqualTo("Loft?[2J?");
  }

  @Test
  void an_unpaired_profile_is_a_clear_error_with_exit_1() {
    assertThat(WelcomeCommand.run("--profile", dir.resolve("none").toString(), "gateways"))
        .isEqualTo(WelcomeCommand.FAILED);
  }

  @Test
  void a_password_flag_does_not_exist() {
    assertThat(
            WelcomeCommand.run(
                "pair",
                "--portal",
                "https://127.0.0.1:1",
                "--user",
                "alice",
                "--name",
                "x",
                "--password",
                "secret"))
        .isEqualTo(WelcomeCommand.USAGE);
  }
}
