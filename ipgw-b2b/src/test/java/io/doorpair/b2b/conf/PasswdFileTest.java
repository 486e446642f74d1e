package io.doorpair.b2b.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.SipPassword;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Flexisip password-file grammar: what is read, and every refusal with its line. */
class PasswdFileTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "version:1\nalice@k3x9abcd1234 clrtxt:secret ;\n",
        "version:1\n\n# a comment\nalice@k3x9abcd1234 clrtxt:secret ;\n",
        "version:1\nalice@k3x9abcd1234 clrtxt:secret md5:0123456789abcdef0123456789abcdef ;\n",
        "version:1\nalice@portal.example.com clrtxt:s3cr!t ; +33123456789\n",
        "version:1\nalice@k3x9abcd1234 clrtxt:secret ;",
      })
  void reads_flexisip_accounts(String text) {
    List<PasswdEntry> entries = PasswdFile.parse(text);
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).user()).isEqualTo("alice");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|line 1: the first line must be version:1",
        "'alice@d clrtxt:x ;'|line 1: the first line must be version:1",
        "'version:2\n'|line 1: the first line must be version:1",
        "'version:1\nalice@d clrtxt:x;'|line 2: expected 'user@domain clrtxt:PASSWORD ;'",
        "'version:1\nalice@d  clrtxt:x ;'|line 2: expected 'user@domain clrtxt:PASSWORD ;'",
        "'version:1\nalice clrtxt:x ;'|line 2: expected 'user@domain clrtxt:PASSWORD ;'",
        "'version:1\n# ok\nal ice@d clrtxt:x ;'|line 3: expected 'user@domain clrtxt:PASSWORD ;'",
        "'version:1\nal!ce@d clrtxt:x ;'|line 2: user must be 1-64 characters of [A-Za-z0-9._-]",
        "'version:1\nalice@d@e clrtxt:x ;'|line 2: bad domain",
        "'version:1\nalice@d clrtxt:a=b ;'|line 2: clrtxt must appear once with a valid password",
        "'version:1\nalice@d clrtxt: ;'|line 2: clrtxt must appear once with a valid password",
        "'version:1\nalice@d clrtxt:a clrtxt:b ;'|line 2: clrtxt must appear once with a valid password",
        "'version:1\nalice@d md5:0123 ;'|line 2: md5 must be lowercase hex of its digest length",
        "'version:1\nalice@d md5:0123456789abcdef0123456789abcdef ;'|line 2: no clrtxt password",
        "'version:1\nalice@d plain:x ;'|line 2: unknown password kind (clrtxt, md5 or sha256)",
        "'version:1\nalice@d clrtxt:x ;\nALICE@d clrtxt:y ;'|line 3: identity given twice",
        "'version:1\nalice@d clrtxt:x ;\r\n'|line 2: expected 'user@domain clrtxt:PASSWORD ;'",
      })
  void refuses_bad_lines_with_their_number(String text, String message) {
    assertThatThrownBy(() -> PasswdFile.parse(text))
        .isInstanceOf(FileFormatException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "a=b", "a@b", "a;b"})
  void refuses_to_write_a_password_that_would_break_the_line(String password) {
    assertThatThrownBy(() -> new PasswdEntry("alice", "k3x9abcd1234", SipPassword.of(password)))
        .isInstanceOf(FileFormatException.class)
        .hasMessage("password must be printable ASCII without spaces, '/', '=', '@' or ';'");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "al ice",
        "alice\n",
        "al@ice",
        "",
        "a;b",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
      })
  void refuses_to_write_a_user_that_would_break_the_line(String user) {
    assertThatThrownBy(() -> new PasswdEntry(user, "k3x9abcd1234", SipPassword.of("secret")))
        .isInstanceOf(FileFormatException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"k3x9 abcd", "k3x9\nabcd", "-bad", "a@b", ""})
  void refuses_to_write_a_domain_that_would_break_the_line(String domain) {
    assertThatThrownBy(() -> new PasswdEntry("alice", domain, SipPassword.of("secret")))
        .isInstanceOf(FileFormatException.class);
  }

  @org.junit.jupiter.api.Test
  void refuses_to_write_an_identity_twice() {
    PasswdEntry a = new PasswdEntry("alice", "k3x9abcd1234", SipPassword.of("one"));
    PasswdEntry b = new PasswdEntry("ALICE", "k3x9abcd1234", SipPassword.of("two"));
    assertThatThrownBy(() -> PasswdFile.render(List.of(a, b)))
        .isInstanceOf(FileFormatException.class)
        .hasMessage("identity ALICE@k3x9abcd1234 given twice");
  }

  @org.junit.jupiter.api.Test
  void refusals_never_quote_a_password() {
    assertThatThrownBy(() -> PasswdFile.parse("version:1\nalice@d clrtxt:TopSecret= ;\n"))
        .isInstanceOf(FileFormatException.class)
        .message()
        .doesNotContain("TopSecret");
  }
}
