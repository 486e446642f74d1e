package io.doorpair.portal.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.portal.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcStoresTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "portal.db",
        "jdbc:mysql://db.example.com/portal",
        "postgresql://db.example.com/portal",
        "jdbc:h2:mem:portal",
      })
  void unsupported_urls_are_refused(String url) {
    assertThatThrownBy(() -> JdbcStores.open(url))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "expected jdbc:sqlite:<file> or jdbc:postgresql://<host>[:<port>]/<database>");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdbc:sqlite:",
        "jdbc:sqlite::memory:",
        "jdbc:sqlite:file:portal.db",
        "jdbc:sqlite:portal.db?journal_mode=delete"
      })
  void sqlite_urls_must_name_a_plain_file(String url) {
    assertThatThrownBy(() -> JdbcStores.open(url))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("an SQLite store URL is jdbc:sqlite:<path to a database file>");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdbc:mysql://root:hunter2secret@db.example.com/portal",
        "jdbc:mysql://db.example.com/portal?user=root&password=hunter2secret",
        "jdbc:oracle:thin:root/hunter2secret@db.example.com:1521:portal"
      })
  void a_refused_url_is_not_quoted(String url) {
    assertThatThrownBy(() -> JdbcStores.open(url))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2secret"));
  }

  @Test
  void an_unreachable_postgresql_fails_fast_without_quoting_the_password() {
    String url =
        "jdbc:postgresql://127.0.0.1:1/portal?user=portal&password=hunter2secret&connectTimeout=2";

    assertThatThrownBy(() -> JdbcStores.open(url))
        .isExactlyInstanceOf(StoreException.class)
        .satisfies(
            e -> {
              for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain("hunter2secret");
              }
            })
        .hasMessageContaining("password=***");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "jdbc:sqlite:/var/lib/portal/portal.db | jdbc:sqlite:/var/lib/portal/portal.db",
        "jdbc:postgresql://db/portal?user=portal | jdbc:postgresql://db/portal?user=portal",
        "jdbc:postgresql://db/portal?user=portal&password=s3cret&ssl=true"
            + " | jdbc:postgresql://db/portal?user=portal&password=***&ssl=true",
        "jdbc:postgresql://db/portal?password=s3cret | jdbc:postgresql://db/portal?password=***",
        "jdbc:postgresql://db/portal?PASSWORD=s3cret | jdbc:postgresql://db/portal?PASSWORD=***",
        "jdbc:postgresql://db/portal?sslpassword=k3y&password=s3cret"
            + " | jdbc:postgresql://db/portal?sslpassword=***&password=***",
        "jdbc:postgresql://portal:s3cret@db:5432/portal | jdbc:postgresql://portal:***@db:5432/portal",
        "jdbc:postgresql://portal:s3@cret@db/portal | jdbc:postgresql://portal:***@db/portal",
      })
  void redaction_hides_every_password(String url, String redacted) {
    assertThat(JdbcStores.redact(url)).isEqualTo(redacted);
  }
}
