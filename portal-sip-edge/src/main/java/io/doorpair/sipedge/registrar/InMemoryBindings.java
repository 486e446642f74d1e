package io.doorpair.sipedge.registrar;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bindings of one node, in memory. Lapsed bindings are dropped when their AOR is next read. {@link
 * #removeFlow} scans every AOR (fine for one node's thousands of devices; an index by flow comes
 * with the Redis implementation).
 */
public final class InMemoryBindings implements Bindings {
  private final Map<String, Map<String, Binding>> byAor = new ConcurrentHashMap<>();

  @Override
  public void put(Binding binding) {
    Objects.requireNonNull(binding, "binding");
    // under the AOR's bin lock, like every removal: a put that raced a removal emptying the AOR's
    // map could otherwise land in a map already dropped, and the device would silently be gone
    byAor.compute(
        binding.aor(),
        (aor, devices) -> {
          Map<String, Binding> map = devices == null ? new ConcurrentHashMap<>() : devices;
          map.put(binding.key(), binding);
          return map;
        });
  }

  @Override
  public boolean remove(String aor, String key) {
    Objects.requireNonNull(aor, "aor");
    Objects.requireNonNull(key, "key");
    boolean[] removed = {false};
    byAor.computeIfPresent(
        aor,
        (a, devices) -> {
          removed[0] = devices.remove(key) != null;
          return devices.isEmpty() ? null : devices;
        });
    return removed[0];
  }

  @Override
  public boolean removeExactly(Binding binding) {
    Objects.requireNonNull(binding, "binding");
    boolean[] removed = {false};
    byAor.computeIfPresent(
        binding.aor(),
        (a, devices) -> {
          Binding held = devices.get(binding.key());
          if (held != null
              && held.node().equals(binding.node())
              && held.flow().equals(binding.flow())) {
            removed[0] = devices.remove(binding.key(), held);
          }
          return devices.isEmpty() ? null : devices;
        });
    return removed[0];
  }

  @Override
  public List<Binding> removeFlow(String flow) {
    Objects.requireNonNull(flow, "flow");
    List<Binding> removed = new ArrayList<>();
    for (String aor : byAor.keySet()) {
      byAor.computeIfPresent(
          aor,
          (a, devices) -> {
            devices
                .values()
                .removeIf(
                    b -> {
                      boolean match = b.flow().equals(flow);
                      if (match) {
                        removed.add(b);
                      }
                      return match;
                    });
            return devices.isEmpty() ? null : devices;
          });
    }
    return List.copyOf(removed);
  }

  @Override
  public OptionalLong count(Instant now) {
    Objects.requireNonNull(now, "now");
    long live = 0;
    for (Map<String, Binding> devices : byAor.values()) {
      live += devices.values().stream().filter(b -> b.liveAt(now)).count();
    }
    return OptionalLong.of(live);
  }

  @Override
  public List<Binding> of(String aor, Instant now) {
    Objects.requireNonNull(aor, "aor");
    Objects.requireNonNull(now, "now");
    Map<String, Binding> known = byAor.get(aor);
    if (known == null) {
      return List.of();
    }
    List<Binding> current = new ArrayList<>(known.values());
    if (current.stream().allMatch(b -> b.liveAt(now))) {
      return List.copyOf(current); // the common case, read without locking the AOR
    }
    List<Binding> live = new ArrayList<>();
    byAor.computeIfPresent(
        aor,
        (a, devices) -> {
          devices.values().removeIf(b -> !b.liveAt(now));
          live.addAll(devices.values());
          return devices.isEmpty() ? null : devices;
        });
    return List.copyOf(live);
  }
}
