package io.doorpair.sipedge.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script run atomically by Redis: sent by its SHA-1 ({@code EVALSHA}), and in full once when
 * Redis does not know it (first use, or after a Redis restart).
 */
final class LuaScript {
  private final String body;
  private final String sha;

  LuaScript(String body) {
    this.body = Objects.requireNonNull(body, "body");
    try {
      this.sha =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from the JDK", e);
    }
  }

  Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
    try {
      return redis.evalsha(sha, keys, args);
    } catch (JedisNoScriptException e) {
      return redis.eval(body, keys, args);
    }
  }
}
