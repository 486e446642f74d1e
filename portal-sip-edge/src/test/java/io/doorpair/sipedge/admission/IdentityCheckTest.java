package io.doorpair.sipedge.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.CertificateIdentity;
import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdentityCheckTest {
  private static final CertificateIdentity ALICE =
      new CertificateIdentity("alice@portal.test", BigInteger.ONE, Optional.empty());

  @ParameterizedTest(name = "{0}:{1}@{2} matches alice@portal.test")
  @CsvSource({
    "sip, alice, portal.test",
    "sips, alice, portal.test",
    "SIP, alice, portal.test",
    "sip, ALICE, PORTAL.TEST",
    "sip, Alice, Portal.Test",
  })
  void same_user_at_host_matches(String scheme, String user, String host) {
    assertThat(IdentityCheck.fromMatches(ALICE, new SipAddress(scheme, user, host))).isTrue();
  }

  @ParameterizedTest(name = "{0}:{1}@{2} does not match alice@portal.test")
  @CsvSource({
    "sip, bob, portal.test", // another user
    "sip, alice, evil.test", // another domain
    "sip, alice%40portal.test, evil.test", // escaped @ in the user part
    "sip, alice%40portal.test, portal.test",
    "sip, al%69ce, portal.test", // escapes are never decoded
    "sip, alice, portal.test.", // trailing dot
    "sip, alice, portal.test.evil.test",
    "sip, xalice, portal.test",
    "sip, alic, portal.test",
    "tel, alice, portal.test", // not a SIP URI
    "http, alice, portal.test",
    "sip, '', portal.test", // no user
    "sip, alice, ''", // no host
    "sip, alice portal.test, ''",
  })
  void anything_else_does_not_match(String scheme, String user, String host) {
    assertThat(IdentityCheck.fromMatches(ALICE, new SipAddress(scheme, user, host))).isFalse();
  }

  @Test
  void unicode_case_folding_never_makes_a_match() {
    CertificateIdentity kate =
        new CertificateIdentity("kate@portal.test", BigInteger.ONE, Optional.empty());
    // U+212A KELVIN SIGN lower-cases to 'k'
    assertThat(IdentityCheck.fromMatches(kate, new SipAddress("sip", "\u212Aate", "portal.test")))
        .isFalse();
    // U+0130 and dotless i under a Turkish-style folding
    CertificateIdentity mike =
        new CertificateIdentity("mike@portal.test", BigInteger.ONE, Optional.empty());
    assertThat(IdentityCheck.fromMatches(mike, new SipAddress("sip", "M\u0130KE", "portal.test")))
        .isFalse();
    assertThat(IdentityCheck.fromMatches(mike, new SipAddress("sip", "m\u0131ke", "portal.test")))
        .isFalse();
    assertThat(IdentityCheck.fromMatches(mike, new SipAddress("\u017Fip", "mike", "portal.test")))
        .isFalse();
  }

  @Test
  void uppercase_i_matches_under_any_default_locale() {
    java.util.Locale saved = java.util.Locale.getDefault();
    try {
      java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
      CertificateIdentity mike =
          new CertificateIdentity("mike@portal.test", BigInteger.ONE, Optional.empty());
      assertThat(IdentityCheck.fromMatches(mike, new SipAddress("SIP", "MIKE", "PORTAL.TEST")))
          .isTrue();
    } finally {
      java.util.Locale.setDefault(saved);
    }
  }

  @Test
  void to_equals_from_under_the_same_rule() {
    SipAddress from = new SipAddress("sip", "alice", "portal.test");
    assertThat(IdentityCheck.sameUserAtHost(from, new SipAddress("sips", "ALICE", "portal.test")))
        .isTrue();
    assertThat(IdentityCheck.sameUserAtHost(from, new SipAddress("sip", "bob", "portal.test")))
        .isFalse();
    assertThat(IdentityCheck.sameUserAtHost(from, new SipAddress("sip", "alice", "other.test")))
        .isFalse();
    assertThat(IdentityCheck.sameUserAtHost(from, new SipAddress("sip", "", "portal.test")))
        .isFalse();
  }

  private static final CertificateIdentity GATEWAY =
      new CertificateIdentity("ipgw@x7k2p9q4m8za", BigInteger.TWO, Optional.empty());

  @ParameterizedTest(name = "outside REGISTER, a gateway may appear as {0}:{1}@{2}")
  @CsvSource({
    "sip, ipgw, x7k2p9q4m8za",
    "sip, door, x7k2p9q4m8za",
    "sips, Door1, X7K2P9Q4M8ZA",
  })
  void a_gateway_speaks_for_its_own_domain(String scheme, String user, String host) {
    SipAddress from = new SipAddress(scheme, user, host);
    assertThat(IdentityCheck.fromMatchesOutsideRegister(GATEWAY, from)).isTrue();
  }

  @ParameterizedTest(name = "a gateway may never appear as {0}:{1}@{2}")
  @CsvSource({
    "sip, door, otherdomain12", // another gateway's DOMAIN
    "sip, alice, portal.test", // a portal user
    "sip, door, x7k2p9q4m8za.evil.test",
    "sip, door%40portal.test, x7k2p9q4m8za.", // trailing dot
    "sip, '', x7k2p9q4m8za", // no user
    "tel, door, x7k2p9q4m8za",
  })
  void a_gateway_never_speaks_for_anyone_else(String scheme, String user, String host) {
    SipAddress from = new SipAddress(scheme, user, host);
    assertThat(IdentityCheck.fromMatchesOutsideRegister(GATEWAY, from)).isFalse();
  }

  @Test
  void a_gateway_registers_only_as_itself_and_apps_get_no_widening() {
    assertThat(IdentityCheck.fromMatches(GATEWAY, new SipAddress("sip", "door", "x7k2p9q4m8za")))
        .isFalse();
    assertThat(
            IdentityCheck.fromMatchesOutsideRegister(
                ALICE, new SipAddress("sip", "bob", "portal.test")))
        .isFalse();
    assertThat(
            IdentityCheck.fromMatchesOutsideRegister(
                ALICE, new SipAddress("sip", "alice", "portal.test")))
        .isTrue();
  }
}
