package io.doorpair.portal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.portal.store.PortalStore;
import io.doorpair.portal.store.UserRecord;
import io.doorpair.portal.store.jdbc.JdbcStores;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portal user ...} against a real SQLite database in a data folder. */
class UserCommandTest {
  @TempDir Path data;

  private record Run(int exit, String out, String err) {}

  private Run portal(String stdin, String... args) {
    InputStream in = System.in;
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      int exit = PortalCommand.run(args);
      return new Run(
          exit,
          outBytes.toString(StandardCharsets.UTF_8),
          errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setIn(in);
      System.setOut(out);
      System.setErr(err);
    }
  }

  private String dataArg() {
    return "--data=" + data;
  }

  @Test
  void add_stores_only_ha1_values() {
    Run run = portal("s3cret-password\n", "user", "add", "Alice", "--password-stdin", dataArg());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("added user alice");
    try (PortalStore store = JdbcStores.open("jdbc:sqlite:" + data.resolve("portal.db"))) {
      UserRecord alice = store.findUser("alice").orElseThrow();
      assertThat(alice.ha1Sha256()).hasSize(64).doesNotContain("s3cret");
      assertThat(alice.ha1Md5()).hasSize(32);
    }
  }

  @Test
  void a_duplicate_user_fails_with_exit_1() {
    assertThat(portal("password-one\n", "user", "add", "bob", "--password-stdin", dataArg()).exit())
        .isZero();
    Run again = portal("password-two\n", "user", "add", "bob", "--password-stdin", dataArg());
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("portal:");
  }

  @Test
  void invalid_names_and_short_passwords_are_refused() {
    assertThat(
            portal("long enough pw\n", "user", "add", "bad name", "--password-stdin", dataArg())
                .exit())
        .isEqualTo(1);
    assertThat(
            portal("long enough pw\n", "user", "add", "ipgw", "--password-stdin", dataArg()).err())
        .contains("reserved");
    assertThat(portal("short\n", "user", "add", "carol", "--password-stdin", dataArg()).err())
        .contains("8 to 256");
  }

  @Test
  void list_passwd_and_del() {
    portal("first-password\n", "user", "add", "dave", "--password-stdin", dataArg());
    assertThat(portal("", "user", "list", dataArg()).out()).contains("dave");
    Run passwd =
        portal("second-password\n", "user", "passwd", "dave", "--password-stdin", dataArg());
    assertThat(passwd.exit()).as(passwd.err()).isZero();
    Run del = portal("", "user", "del", "dave", dataArg());
    assertThat(del.exit()).isZero();
    assertThat(portal("", "user", "list", dataArg()).out()).doesNotContain("dave");
    assertThat(portal("", "user", "del", "dave", dataArg()).exit()).isEqualTo(1);
  }

  @Test
  void no_password_on_a_pipe_without_the_flag_is_a_clear_error() {
    Run run = portal("", "user", "add", "erin", dataArg());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("--password-stdin");
  }

  @Test
  void without_a_subcommand_the_usage_is_shown_with_exit_2() {
    assertThat(portal("", "user").exit()).isEqualTo(2);
  }
}
