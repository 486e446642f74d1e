package io.doorpair.b2b.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** accounts.list: one line per enabled app account, strict, every refusal naming its line. */
class AccountsListTest {
  private static final String GRUU =
      "sip:alice@portal.example.com;gr=urn:uuid:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";

  @Test
  void reads_what_it_writes() {
    List<AppAccount> accounts =
        List.of(
            new AppAccount("alice-7f3a", "alice", Optional.of(GRUU), true, true, true, false),
            new AppAccount("bob-00c1", "bob", Optional.empty(), false, false, false, true),
            new AppAccount(
                "grace-0a1b2c", "grace", Optional.empty(), true, false, false, false, false, true),
            new AppAccount(
                "henri-3d4e5f", "henri", Optional.empty(), false, true, false, false, true, true));
    String text = AccountsList.render(accounts);
    assertThat(AccountsList.parse(text)).containsExactlyElementsOf(accounts);
    assertThat(AccountsList.parse(text).get(0).portalDomain()).contains("portal.example.com");
    assertThat(AccountsList.parse(text).get(0).instance())
        .contains("urn:uuid:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");
  }

  @Test
  void skips_comments_and_empty_lines() {
    assertThat(
            AccountsList.parse("accounts:2\n\n# a comment\nbob-1 bob - cameras all-devices lan\n"))
        .singleElement()
        .satisfies(a -> assertThat(a.cameras() && a.lan() && !a.portal()).isTrue());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "version:1|line 1: the first line must be accounts:2",
        "accounts:1\\nbob-1 bob - cameras all-devices|line 1: the first line must be accounts:2 (version 1 is not read: ipgw rewrites the file)",
        "accounts:3|line 1: the first line must be accounts:2 (version 3 is not read",
        "accounts:2\\nbob-1 bob - cameras all-devices|line 2: expected",
        "accounts:2\\nbob-1 bob - cameras all-devices lan extra|line 2: expected",
        "accounts:2\\nbob-1 bob - camera all-devices lan|line 2: unknown right",
        "accounts:2\\nbob-1 bob - cameras,door-calls all-devices lan|line 2: rights given twice or out of order",
        "accounts:2\\nbob-1 bob - door-calls,door-calls all-devices lan|line 2: rights given twice",
        "accounts:2\\nbob-1 bob - - some-devices lan|line 2: the fifth field must be",
        "accounts:2\\nbob-1 bob - - all-devices wan|line 2: unknown use",
        "accounts:2\\nbob-1 bob - - all-devices -|line 2: unknown use",
        "accounts:2\\nbob-1 bob - - all-devices lan,portal|line 2: uses given twice or out of order",
        "accounts:2\\nbob-1 bob - - all-devices lan,lan|line 2: uses given twice",
        "accounts:2\\nbob;1 bob - - gruu-only portal|line 2: SIP username must be",
        "accounts:2\\nbob-1 Bob - - gruu-only portal|line 2: portal user not lowercase",
        "accounts:2\\nbob-1 bob sip:alice@p.example;gr=urn:uuid:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9 - gruu-only portal|line 2: the GRUU is not of portal user bob",
        "accounts:2\\nbob-1 bob sip:bob@p.example - gruu-only portal|line 2: GRUU must be",
        "accounts:2\\nbob-1 bob - - gruu-only lan\\n\\nbob-1 bob - - gruu-only lan|line 4: SIP username given twice",
        "accounts:2\\na-1 a sip:a@p.example;gr=urn:uuid:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9 - gruu-only portal\\nb-1 b sip:b@q.example;gr=urn:uuid:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9 - gruu-only portal|line 3: GRUU of portal domain q.example"
      })
  void refuses_a_bad_line_naming_it(String text, String message) {
    assertThatThrownBy(() -> AccountsList.parse(text.replace("\\n", "\n")))
        .isInstanceOf(FileFormatException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void an_account_used_nowhere_cannot_be_made() {
    assertThatThrownBy(
            () ->
                new AppAccount(
                    "a-1", "a", Optional.empty(), true, true, false, false, false, false))
        .isInstanceOf(FileFormatException.class)
        .hasMessageContaining("portal or on the LAN");
  }

  @Test
  void refuses_to_write_two_accounts_of_one_name() {
    AppAccount a = new AppAccount("a-1", "a", Optional.empty(), true, false, false, false);
    assertThatThrownBy(() -> AccountsList.render(List.of(a, a)))
        .isInstanceOf(FileFormatException.class)
        .hasMessageContaining("given twice");
  }
}
