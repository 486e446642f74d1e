package io.doorpair.portal.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationsTest {

  @Test
  void versions_count_up_from_one_without_gaps() {
    assertThat(Migrations.SCRIPTS)
        .extracting(Migrations.Script::version)
        .containsExactlyElementsOf(
            IntStream.rangeClosed(1, Migrations.SCRIPTS.size())
                .boxed()
                .collect(Collectors.toList()));
    assertThat(Migrations.latestVersion()).isEqualTo(Migrations.SCRIPTS.size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void each_backend_has_exactly_the_listed_scripts(String backend) throws Exception {
    // The folder of the first script: the test classes have packages of the same names.
    URL first =
        Migrations.class
            .getClassLoader()
            .getResource(
                Migrations.RESOURCE_ROOT + backend + "/" + Migrations.SCRIPTS.get(0).fileName());
    assertThat(first).isNotNull();

    try (Stream<Path> files = Files.list(path(first).getParent())) {
      assertThat(
              files
                  .map(p -> p.getFileName().toString())
                  .filter(name -> name.endsWith(".sql"))
                  .collect(Collectors.toList()))
          .containsExactlyInAnyOrderElementsOf(
              Migrations.SCRIPTS.stream()
                  .map(Migrations.Script::fileName)
                  .collect(Collectors.toList()));
    }
    for (Migrations.Script script : Migrations.SCRIPTS) {
      assertThat(Migrations.statements(Migrations.load(backend, script))).isNotEmpty();
    }
  }

  @Test
  void scripts_split_into_statements_at_line_ending_semicolons() {
    String script =
        "-- a comment; with a semicolon\n"
            + "CREATE TABLE a (\n"
            + "  x INTEGER -- trailing words\n"
            + ");\n"
            + "\n"
            + "  -- indented comment\n"
            + "CREATE INDEX a_x ON a (x);\r\n"
            + "INSERT INTO a VALUES (1); \n";

    assertThat(Migrations.statements(script))
        .containsExactly(
            "CREATE TABLE a (\n  x INTEGER -- trailing words\n)",
            "CREATE INDEX a_x ON a (x)",
            "INSERT INTO a VALUES (1)");
  }

  @Test
  void a_script_ending_inside_a_statement_is_refused() {
    assertThatThrownBy(() -> Migrations.statements("CREATE TABLE a (x INTEGER);\nDROP TABLE a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("migration script ends inside a statement (missing ';'): DROP TABLE a");
  }

  @Test
  void a_missing_script_is_a_packaging_error() {
    assertThatThrownBy(() -> Migrations.load("sqlite", new Migrations.Script(99, "nothing")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "migration script missing from the build: io/doorpair/portal/store/sqlite/V99__nothing.sql");
  }

  private static Path path(URL url) throws URISyntaxException {
    return Path.of(url.toURI());
  }
}
