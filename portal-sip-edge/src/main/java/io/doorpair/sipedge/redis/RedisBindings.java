package io.doorpair.sipedge.redis;

import io.doorpair.sipedge.registrar.Binding;
import io.doorpair.sipedge.registrar.Bindings;
import io.doorpair.sipedge.registrar.BindingsUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Bindings shared by every SIP node on one Redis (DESIGN §10). Per AOR a hash {@code PREFIXaor:AOR}
 * (field: the binding key, value: {@link BindingCodec}) and a sorted set {@code PREFIXexp:AOR}
 * (member: the key, score: expiry in epoch milliseconds); per node and connection a set {@code
 * PREFIXflow:NODE|FLOW} of the bindings made over it, for {@link #removeFlow}. Every change is one
 * Lua script, so it is atomic; each script drops the AOR's lapsed entries and sets the keys' time
 * to live to the latest expiry, so <b>Redis itself deletes an AOR whose bindings have all
 * lapsed</b> and no sweep runs. Reads use the caller's {@code now} on the scores (a binding is live
 * while its expiry is after {@code now}), as {@code InMemoryBindings} does.
 *
 * <p>A Redis error or timeout becomes {@link BindingsUnavailableException}. Needs one Redis (not
 * Redis Cluster: the scripts name keys they compute).
 */
public final class RedisBindings implements Bindings {
  private static final Logger LOG = LoggerFactory.getLogger(RedisBindings.class);
  private static final Pattern NODE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  /** Slack added to key lifetimes, so a key never vanishes before its last binding's expiry. */
  static final long SLACK_MILLIS = 1000;

  private static final String DROP_LAPSED =
      "local lapsed = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1])\n"
          + "for _, k in ipairs(lapsed) do redis.call('HDEL', KEYS[1], k) end\n"
          + "if #lapsed > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1]) end\n";

  /** KEYS: hash, zset, flow set. ARGV: now ms, key, value, score, member, flow prefix, slack. */
  private static final LuaScript PUT =
      new LuaScript(
          DROP_LAPSED
              + "local old = redis.call('HGET', KEYS[1], ARGV[2])\n"
              + "if old then\n"
              + "  local node, flow = string.match(old, '^([^\\n]*)\\n([^\\n]*)\\n')\n"
              + "  if node then\n"
              + "    local oldSet = ARGV[6] .. node .. '|' .. flow\n"
              + "    if oldSet ~= KEYS[3] then redis.call('SREM', oldSet, ARGV[5]) end\n"
              + "  end\n"
              + "end\n"
              + "redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])\n"
              + "redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])\n"
              + "redis.call('SADD', KEYS[3], ARGV[5])\n"
              + "local now = tonumber(ARGV[1])\n"
              + "local slack = tonumber(ARGV[7])\n"
              + "local top = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')\n"
              + "local ttl = math.max(1, tonumber(top[2]) - now + slack)\n"
              + "redis.call('PEXPIRE', KEYS[1], ttl)\n"
              + "redis.call('PEXPIRE', KEYS[2], ttl)\n"
              + "local mine = math.max(1, tonumber(ARGV[4]) - now + slack)\n"
              + "if redis.call('PTTL', KEYS[3]) < mine then redis.call('PEXPIRE', KEYS[3], mine) end\n"
              + "return 1\n");

  /** KEYS: hash, zset. ARGV: key, member, flow prefix. */
  private static final LuaScript REMOVE =
      new LuaScript(
          "local old = redis.call('HGET', KEYS[1], ARGV[1])\n"
              + "if not old then return 0 end\n"
              + "local node, flow = string.match(old, '^([^\\n]*)\\n([^\\n]*)\\n')\n"
              + "if node then redis.call('SREM', ARGV[3] .. node .. '|' .. flow, ARGV[2]) end\n"
              + "redis.call('HDEL', KEYS[1], ARGV[1])\n"
              + "redis.call('ZREM', KEYS[2], ARGV[1])\n"
              + "return 1\n");

  /**
   * KEYS: flow set. ARGV: hash prefix, zset prefix, node, flow. Returns aor, key, value triples.
   */
  private static final LuaScript REMOVE_FLOW =
      new LuaScript(
          "local out = {}\n"
              + "for _, m in ipairs(redis.call('SMEMBERS', KEYS[1])) do\n"
              + "  local aor, key = string.match(m, '^([^\\n]*)\\n(.*)$')\n"
              + "  if aor then\n"
              + "    local h = ARGV[1] .. aor\n"
              + "    local v = redis.call('HGET', h, key)\n"
              + "    if v then\n"
              + "      local node, flow = string.match(v, '^([^\\n]*)\\n([^\\n]*)\\n')\n"
              + "      if node == ARGV[3] and flow == ARGV[4] then\n"
              + "        redis.call('HDEL', h, key)\n"
              + "        redis.call('ZREM', ARGV[2] .. aor, key)\n"
              + "        table.insert(out, aor)\n"
              + "        table.insert(out, key)\n"
              + "        table.insert(out, v)\n"
              + "      end\n"
              + "    end\n"
              + "  end\n"
              + "end\n"
              + "redis.call('DEL', KEYS[1])\n"
              + "return out\n");

  /** KEYS: hash, zset. ARGV: now ms (floor). Returns key, value pairs of live bindings. */
  private static final LuaScript OF =
      new LuaScript(
          DROP_LAPSED
              + "local live = redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[1], '+inf')\n"
              + "if #live == 0 then return {} end\n"
              + "local values = redis.call('HMGET', KEYS[1], unpack(live))\n"
              + "local out = {}\n"
              + "for i, k in ipairs(live) do\n"
              + "  if values[i] then\n"
              + "    table.insert(out, k)\n"
              + "    table.insert(out, values[i])\n"
              + "  end\n"
              + "end\n"
              + "return out\n");

  private final RedisConnection redis;
  private final String prefix;
  private final String node;
  private final Clock clock;

  /**
   * Bindings in {@code redis}, written for {@code node}.
   *
   * @param redis the pool (its settings give the key prefix)
   * @param node this node's name, {@code [A-Za-z0-9._:-]{1,64}}, unique among the nodes
   * @param clock the same clock the registrar uses (key lifetimes are expiry minus its now)
   */
  public RedisBindings(RedisConnection redis, String node, Clock clock) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.node = Objects.requireNonNull(node, "node");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (!NODE.matcher(node).matches()) {
      throw new IllegalArgumentException("a node name must be 1-64 of [A-Za-z0-9._:-]");
    }
    this.prefix = redis.settings().keyPrefix();
  }

  @Override
  public void put(Binding binding) {
    Objects.requireNonNull(binding, "binding");
    String value = BindingCodec.encode(binding, node);
    String member = BindingCodec.member(binding.aor(), binding.key());
    long now = clock.millis();
    call(
        "put",
        () ->
            PUT.run(
                redis.client(),
                List.of(hash(binding.aor()), zset(binding.aor()), flowSet(binding.flow())),
                List.of(
                    Long.toString(now),
                    binding.key(),
                    value,
                    Long.toString(binding.expiresAt().toEpochMilli()),
                    member,
                    prefix + "flow:",
                    Long.toString(SLACK_MILLIS))));
  }

  @Override
  public boolean remove(String aor, String key) {
    Objects.requireNonNull(aor, "aor");
    Objects.requireNonNull(key, "key");
    String member = BindingCodec.member(aor, key);
    Object removed =
        call(
            "remove",
            () ->
                REMOVE.run(
                    redis.client(),
                    List.of(hash(aor), zset(aor)),
                    List.of(key, member, prefix + "flow:")));
    return Long.valueOf(1).equals(removed);
  }

  @Override
  public List<Binding> removeFlow(String flow) {
    Objects.requireNonNull(flow, "flow");
    Object reply =
        call(
            "removeFlow",
            () ->
                REMOVE_FLOW.run(
                    redis.client(),
                    List.of(flowSet(flow)),
                    List.of(prefix + "aor:", prefix + "exp:", node, flow)));
    List<Binding> removed = new ArrayList<>();
    List<?> items = (List<?>) reply;
    for (int i = 0; i + 2 < items.size(); i += 3) {
      BindingCodec.decode(
              (String) items.get(i), (String) items.get(i + 1), (String) items.get(i + 2))
          .ifPresent(removed::add);
    }
    return List.copyOf(removed);
  }

  @Override
  public List<Binding> of(String aor, Instant now) {
    Objects.requireNonNull(aor, "aor");
    Objects.requireNonNull(now, "now");
    long floor = now.toEpochMilli();
    Object reply =
        call(
            "of",
            () ->
                OF.run(
                    redis.client(), List.of(hash(aor), zset(aor)), List.of(Long.toString(floor))));
    List<Binding> live = new ArrayList<>();
    List<?> items = (List<?>) reply;
    for (int i = 0; i + 1 < items.size(); i += 2) {
      String key = (String) items.get(i);
      Optional<Binding> b = BindingCodec.decode(aor, key, (String) items.get(i + 1));
      if (b.isEmpty()) {
        LOG.warn("malformed binding of {} key {} in Redis ignored", aor, key);
      } else if (b.get().liveAt(now)) {
        live.add(b.get());
      }
    }
    return List.copyOf(live);
  }

  @Override
  public String node() {
    return node;
  }

  @Override
  public boolean remote() {
    return true;
  }

  private String hash(String aor) {
    return prefix + "aor:" + aor;
  }

  private String zset(String aor) {
    return prefix + "exp:" + aor;
  }

  private String flowSet(String flow) {
    return prefix + "flow:" + node + "|" + flow;
  }

  private Object call(String what, java.util.function.Supplier<Object> command) {
    try {
      return command.get();
    } catch (JedisException e) {
      throw new BindingsUnavailableException(
          "Redis " + redis.settings().redactedUrl() + " failed on " + what + ": " + e.getMessage(),
          e);
    }
  }
}
