package io.doorpair.b2b.conf;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.SipPassword;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Parsers never throw anything but {@link FileFormatException}; what is rendered reads back. */
class FileGrammarProperties {
  @Property(tries = 500)
  void passwd_parse_never_throws_unexpectedly(@ForAll("fileLike") String text) {
    try {
      PasswdFile.parse(text);
    } catch (FileFormatException expected) {
      // refused with a message
    }
  }

  @Property(tries = 300)
  void acl_and_b2b_parse_never_throw_unexpectedly(@ForAll("fileLike") String text) {
    try {
      AclList.parse(text);
    } catch (FileFormatException expected) {
      // refused
    }
    try {
      B2bConf.parse(text);
    } catch (FileFormatException expected) {
      // refused
    }
  }

  @Property(tries = 200)
  void rendered_passwd_reads_back(
      @ForAll("users") List<String> users, @ForAll("passwords") List<String> passwords) {
    List<PasswdEntry> entries = new ArrayList<>();
    for (int i = 0; i < Math.min(users.size(), passwords.size()); i++) {
      entries.add(
          new PasswdEntry(users.get(i) + i, "k3x9abcd1234", SipPassword.of(passwords.get(i))));
    }
    String text = PasswdFile.render(entries);
    assertThat(PasswdFile.parse(text)).isEqualTo(entries);
  }

  @Provide
  Arbitrary<String> fileLike() {
    Arbitrary<String> pieces =
        Arbitraries.of(
            "version:1\n",
            "alice@k3x9abcd1234",
            " clrtxt:",
            "secret",
            " ;",
            "\n",
            "#",
            " ",
            "md5:",
            "[b2b]\n",
            "domain=",
            "=",
            "@",
            ";",
            "\t",
            "\r",
            "é",
            "\u0000",
            "sips:x");
    return Arbitraries.oneOf(
        pieces.list().ofMaxSize(30).map(l -> String.join("", l)),
        Arbitraries.strings().ofMaxLength(200));
  }

  @Provide
  Arbitrary<List<String>> users() {
    return Arbitraries.strings()
        .withChars("abcdefghijklmnopqrstuvwxyzABC0123456789._-")
        .ofMinLength(1)
        .ofMaxLength(60)
        .list()
        .ofMaxSize(10);
  }

  @Provide
  Arbitrary<List<String>> passwords() {
    return Arbitraries.strings()
        .withCharRange('!', '~')
        .ofMinLength(1)
        .ofMaxLength(128)
        .filter(s -> s.chars().noneMatch(c -> c == '/' || c == '=' || c == '@' || c == ';'))
        .list()
        .ofMaxSize(10);
  }
}
