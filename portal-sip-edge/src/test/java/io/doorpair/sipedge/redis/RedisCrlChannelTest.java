package io.doorpair.sipedge.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.testing.TestPki;
import io.doorpair.sipedge.testing.TestRedis;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The CRL shared through a real Redis: kept, announced, caught up on, garbage ignored. */
class RedisCrlChannelTest {
  private static final TestPki PKI = TestPki.shared();
  private String prefix;
  private RedisConnection redis;

  @BeforeEach
  void open() {
    String url = TestRedis.require();
    prefix = TestRedis.uniquePrefix();
    redis = RedisConnection.open(RedisSettings.of(url).withKeyPrefix(prefix));
  }

  @AfterEach
  void close() {
    redis.close();
    TestRedis.deleteKeys(prefix);
  }

  private static X509CRL crlAt(Instant thisUpdate, BigInteger... serials) {
    return PKI.crl(List.of(serials), thisUpdate, thisUpdate.plusSeconds(86_400));
  }

  @Test
  void a_follower_catches_up_on_the_kept_crl_then_gets_each_newer_one() throws Exception {
    RedisCrlChannel channel = new RedisCrlChannel(redis);
    Instant t0 = Instant.now().minusSeconds(60);
    X509CRL first = crlAt(t0, BigInteger.ONE);
    assertThat(channel.publish(first)).isTrue();

    BlockingQueue<X509CRL> seen = new LinkedBlockingQueue<>();
    try (RedisCrlChannel.Following following = channel.follow(seen::add)) {
      assertThat(following.awaitSubscribed(30, TimeUnit.SECONDS)).isTrue();
      assertThat(seen.poll(30, TimeUnit.SECONDS)).isEqualTo(first);

      X509CRL second = crlAt(t0.plusSeconds(10), BigInteger.ONE, BigInteger.TWO);
      assertThat(channel.publish(second)).isTrue();
      assertThat(seen.poll(30, TimeUnit.SECONDS)).isEqualTo(second);

      // an older CRL is neither kept nor announced
      assertThat(channel.publish(crlAt(t0.plusSeconds(5)))).isFalse();
      X509CRL third = crlAt(t0.plusSeconds(20), BigInteger.TEN);
      assertThat(channel.publish(third)).isTrue();
      assertThat(seen.poll(30, TimeUnit.SECONDS)).as("next after the refused one").isEqualTo(third);
    }
  }

  @Test
  void garbage_on_the_channel_is_ignored_and_the_follower_goes_on() throws Exception {
    RedisCrlChannel channel = new RedisCrlChannel(redis);
    BlockingQueue<X509CRL> seen = new LinkedBlockingQueue<>();
    try (RedisCrlChannel.Following following = channel.follow(seen::add)) {
      assertThat(following.awaitSubscribed(30, TimeUnit.SECONDS)).isTrue();
      try (RedisClient raw = TestRedis.client()) {
        raw.publish(prefix + "crl", "12\nnot base64 !!");
        raw.publish(prefix + "crl", "no newline");
      }
      X509CRL good = crlAt(Instant.now().minusSeconds(1), BigInteger.ONE);
      assertThat(channel.publish(good)).isTrue();
      assertThat(seen.poll(30, TimeUnit.SECONDS)).isEqualTo(good);
      assertThat(seen).isEmpty();
    }
  }

  @Test
  void parse_refuses_what_is_not_a_crl() {
    assertThat(RedisCrlChannel.parse(null)).isEmpty();
    assertThat(RedisCrlChannel.parse("1\nAAAA")).isEmpty();
    assertThat(RedisCrlChannel.parse("x".repeat(RedisCrlChannel.MAX_CHARS + 1))).isEmpty();
  }
}
