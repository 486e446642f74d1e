package io.doorpair.portal.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

class RedactionPropertiesTest {

  private static final String[] TEMPLATES = {
    "jdbc:postgresql://db.example.com:5432/portal?user=portal&password=%s",
    "jdbc:postgresql://db.example.com/portal?password=%s&user=portal&ssl=true",
    "jdbc:postgresql://db.example.com/portal?user=portal&sslpassword=%s",
    "jdbc:postgresql://portal:%s@db.example.com/portal",
  };

  @Property
  void a_redacted_url_never_holds_the_password(
      @ForAll
          @StringLength(min = 6, max = 40)
          @CharRange(from = 'a', to = 'z')
          @CharRange(from = 'A', to = 'Z')
          @CharRange(from = '0', to = '9')
          @Chars({'!', '$', '%', '*', '+', ',', '-', '.', ':', '=', '@', '_', '~'})
          String password,
      @ForAll @IntRange(min = 0, max = 3) int template) {
    String pattern = TEMPLATES[template];
    Assume.that(!pattern.replace("%s", "").contains(password));
    if (template == 3) {
      // In the user:password@ form an unescaped '/', '?' or '#' ends the authority; '@' is fine.
      Assume.that(password.indexOf(':') < 0);
    }

    String redacted = JdbcStores.redact(String.format(pattern, password));

    assertThat(redacted).doesNotContain(password);
  }

  @Property
  void redaction_never_throws(@ForAll String anything) {
    assertThat(JdbcStores.redact(anything)).isNotNull();
  }
}
