package io.doorpair.b2b.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** acl.list: whitespace-separated portal usernames. */
class AclListTest {
  @Test
  void any_whitespace_separates_names() {
    assertThat(AclList.parse(" alice\tbob\n\ncarol  alice \n"))
        .containsExactly("alice", "bob", "carol");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "al ice",
        "alice\nbob",
        "al;ice",
        "-alice",
        "",
        "é",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "a@b"
      })
  void refuses_to_write_a_name_that_would_break_the_list(String username) {
    assertThatThrownBy(() -> AclList.render(List.of(username)))
        .isInstanceOf(FileFormatException.class)
        .hasMessageStartingWith("portal username must be");
  }

  @Test
  void writes_names_in_lowercase() {
    assertThat(AclList.render(List.of("Alice"))).isEqualTo("alice\n");
  }

  @Test
  void refuses_a_bad_name_with_its_position() {
    assertThatThrownBy(() -> AclList.parse("alice bob Carol"))
        .isInstanceOf(FileFormatException.class)
        .hasMessage("line 1: name 3: not lowercase");
    assertThatThrownBy(() -> AclList.parse("alice b;ob"))
        .isInstanceOf(FileFormatException.class)
        .hasMessageStartingWith("line 1: name 2: portal username must be");
    assertThatThrownBy(() -> AclList.parse("alice\n\n bob\r\nCarol\n"))
        .isInstanceOf(FileFormatException.class)
        .hasMessage("line 4: name 3: not lowercase");
  }
}
