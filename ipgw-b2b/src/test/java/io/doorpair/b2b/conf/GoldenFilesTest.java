package io.doorpair.b2b.conf;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.SipPassword;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the gateway renders, byte for byte, and parse → render giving the same bytes. */
class GoldenFilesTest {
  private static final String DOMAIN = "k3x9abcd1234";

  @Test
  void password_file_with_the_gateway_and_two_apps() throws IOException {
    String text =
        PasswdFile.render(
            List.of(
                new PasswdEntry("ipgw", DOMAIN, SipPassword.of("Gq3bV7xK2mN9pL4sT8wY1zR6")),
                new PasswdEntry("alice-7f3a", DOMAIN, SipPassword.of("Zt8nB2vC5xM1kL7jH4gF9dS3")),
                new PasswdEntry(
                    "bob.smith-00c1", DOMAIN, SipPassword.of("a1B2c3D4e5F6g7H8i9J0kLmN"))));
    Golden.assertMatches("passwd", text);
    assertThat(PasswdFile.render(PasswdFile.parse(text))).isEqualTo(text);
  }

  @Test
  void password_file_of_a_gateway_without_apps() throws IOException {
    String text =
        PasswdFile.render(
            List.of(new PasswdEntry("ipgw", DOMAIN, SipPassword.of("Gq3bV7xK2mN9pL4sT8wY1zR6"))));
    Golden.assertMatches("passwd-gateway-only", text);
    assertThat(PasswdFile.render(PasswdFile.parse(text))).isEqualTo(text);
  }

  @Test
  void acl_list_sorted_without_duplicates() throws IOException {
    String text = AclList.render(List.of("carol", "alice", "bob.smith", "alice", "d-4_x"));
    Golden.assertMatches("acl.list", text);
    assertThat(AclList.render(AclList.parse(text))).isEqualTo(text);
  }

  @Test
  void empty_acl_list_is_an_empty_file() throws IOException {
    String text = AclList.render(List.of());
    Golden.assertMatches("acl-empty.list", text);
    assertThat(AclList.parse(text)).isEmpty();
  }

  @Test
  void b2b_conf() throws IOException {
    B2bConf conf =
        new B2bConf(
            DOMAIN,
            "sips:portal.example.com:5061",
            "sip:127.0.0.1:5070;transport=tcp",
            SipPassword.of("Gq3bV7xK2mN9pL4sT8wY1zR6"));
    String text = conf.render();
    Golden.assertMatches("b2b.conf", text);
    assertThat(B2bConf.parse(text).render()).isEqualTo(text);
    assertThat(conf.toString()).doesNotContain("Gq3bV7xK2mN9pL4sT8wY1zR6");
  }

  @Test
  void accounts_list_sorted_by_sip_username() throws IOException {
    String text =
        AccountsList.render(
            List.of(
                new AppAccount(
                    "bob.smith-00c1", "bob.smith", Optional.empty(), false, false, true, true),
                new AppAccount(
                    "alice-7f3a",
                    "alice",
                    Optional.of(
                        "sip:alice@portal.example.com;gr=urn:uuid:"
                            + "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"),
                    true,
                    true,
                    false,
                    false),
                new AppAccount(
                    "henri-3d4e5f",
                    "henri",
                    Optional.empty(),
                    true,
                    true,
                    false,
                    false,
                    true,
                    true),
                new AppAccount(
                    "grace-0a1b2c",
                    "grace",
                    Optional.empty(),
                    true,
                    false,
                    false,
                    false,
                    false,
                    true)));
    Golden.assertMatches("accounts.list", text);
    assertThat(AccountsList.render(AccountsList.parse(text))).isEqualTo(text);
  }
}
