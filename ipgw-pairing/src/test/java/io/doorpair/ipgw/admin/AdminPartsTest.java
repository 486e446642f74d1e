package io.doorpair.ipgw.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin site's parts on their own: password hash, throttle, sessions, escaping. */
class AdminPartsTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    private Instant now = Instant.parse("2026-12-04T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void password_is_a_salted_slow_hash_that_only_the_password_matches() throws Exception {
    assertThat(AdminPassword.isSet(dir)).isFalse();
    AdminPassword.set(dir, "twelve chars".toCharArray(), RANDOM);
    String line = Files.readString(AdminPassword.file(dir));
    assertThat(line).startsWith("pbkdf2-sha256:600000:").doesNotContain("twelve");
    AdminPassword stored = AdminPassword.load(dir);
    assertThat(stored.matches("twelve chars".toCharArray())).isTrue();
    assertThat(stored.matches("twelve chars ".toCharArray())).isFalse();
    assertThat(stored.matches(new char[0])).isFalse();
    assertThat(stored.toString()).doesNotContain(line.split(":")[3]);

    AdminPassword.set(dir, "twelve chars".toCharArray(), RANDOM);
    assertThat(Files.readString(AdminPassword.file(dir))).isNotEqualTo(line); // a new salt

    assertThatThrownBy(() -> AdminPassword.set(dir, "short".toCharArray(), RANDOM))
        .hasMessageContaining("12 to 128 characters");
    assertThatThrownBy(() -> AdminPassword.set(dir, "twelve\nchars!".toCharArray(), RANDOM))
        .hasMessageContaining("control character");
    Files.writeString(AdminPassword.file(dir), "md5:abc\n");
    assertThatThrownBy(() -> AdminPassword.load(dir)).hasMessageContaining("malformed");
  }

  @Test
  void generated_passwords_are_long_and_differ() {
    String a = new String(AdminPassword.generate(RANDOM));
    String b = new String(AdminPassword.generate(RANDOM));
    assertThat(a).hasSize(AdminPassword.GENERATED_LENGTH).matches("[A-Za-z2-9]+").isNotEqualTo(b);
  }

  @Test
  void throttle_locks_after_five_failures_doubling_and_forgets_on_success() {
    TestClock clock = new TestClock();
    LoginThrottle throttle = new LoginThrottle(clock);
    for (int i = 0; i < LoginThrottle.FREE_FAILURES - 1; i++) {
      throttle.failed("10.0.0.1");
      assertThat(throttle.lockedOut("10.0.0.1")).isEmpty();
    }
    throttle.failed("10.0.0.1");
    assertThat(throttle.lockedOut("10.0.0.1")).contains(LoginThrottle.FIRST_LOCK);
    assertThat(throttle.lockedOut("10.0.0.2")).isEmpty();
    clock.advance(LoginThrottle.FIRST_LOCK);
    assertThat(throttle.lockedOut("10.0.0.1")).isEmpty();
    throttle.failed("10.0.0.1");
    assertThat(throttle.lockedOut("10.0.0.1")).contains(LoginThrottle.FIRST_LOCK.multipliedBy(2));
    for (int i = 0; i < 30; i++) {
      throttle.failed("10.0.0.1");
    }
    assertThat(throttle.lockedOut("10.0.0.1")).contains(LoginThrottle.MAX_LOCK);
    throttle.succeeded("10.0.0.1");
    assertThat(throttle.lockedOut("10.0.0.1")).isEmpty();
  }

  @Test
  void sessions_expire_rotate_at_login_and_stay_bounded() {
    TestClock clock = new TestClock();
    Sessions sessions = new Sessions(RANDOM, clock);
    Session anonymous = sessions.anonymous();
    assertThat(anonymous.authenticated()).isFalse();
    Session in = sessions.login(anonymous);
    assertThat(in.id()).isNotEqualTo(anonymous.id());
    assertThat(in.csrf()).isNotEqualTo(anonymous.csrf());
    assertThat(sessions.find(anonymous.id())).isEmpty();
    assertThat(sessions.find(in.id())).contains(in);
    assertThat(in.csrfMatches(in.csrf())).isTrue();
    assertThat(in.csrfMatches(anonymous.csrf())).isFalse();
    assertThat(in.csrfMatches(null)).isFalse();
    assertThat(in.toString()).doesNotContain(in.id()).doesNotContain(in.csrf());

    clock.advance(Sessions.IDLE.minusSeconds(1));
    assertThat(sessions.find(in.id())).isPresent(); // used: idle time starts over
    clock.advance(Sessions.IDLE.plusSeconds(1));
    assertThat(sessions.find(in.id())).isEmpty();

    Session first = sessions.anonymous();
    for (int i = 0; i < Sessions.MAX; i++) {
      clock.advance(Duration.ofMillis(1));
      sessions.anonymous();
    }
    assertThat(sessions.find(first.id())).isEmpty();
    assertThat(sessions.find(null)).isEmpty();
    assertThat(sessions.find("x")).isEmpty();
  }

  @Test
  void host_check_answers_ip_literals_localhost_and_listed_names_only() {
    HostCheck check = new HostCheck(List.of("Gateway.Home.Arpa"));
    assertThat(check.allows("127.0.0.1:8080")).isTrue();
    assertThat(check.allows("192.168.1.20")).isTrue();
    assertThat(check.allows("[::1]:8080")).isTrue();
    assertThat(check.allows("localhost:8080")).isTrue();
    assertThat(check.allows("gateway.home.arpa:8080")).isTrue();
    assertThat(check.allows("gateway.home.arpa.")).isTrue();
    assertThat(check.allows("evil.example:8080")).isFalse();
    assertThat(check.allows("127.0.0.1.evil.example")).isFalse();
    assertThat(check.allows("localhost.evil.example")).isFalse();
    assertThat(check.allows("")).isFalse();
    assertThat(check.allows(null)).isFalse();
  }

  @Test
  void escaping_covers_markup_quotes_and_control_characters() {
    assertThat(Html.escape("<a href='x'>\"&\"</a>\u0007\n"))
        .isEqualTo("&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;\uFFFD\uFFFD");
    assertThat(Html.page("<t>", Optional.empty(), 0, Optional.of("<m>"), ""))
        .contains("<title>&lt;t&gt; - ipgw</title>")
        .contains("&lt;m&gt;")
        .doesNotContain("http-equiv");
  }
}
