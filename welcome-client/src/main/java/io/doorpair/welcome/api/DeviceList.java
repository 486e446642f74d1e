package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Answer of {@code GET /api/devices}.
 *
 * @param devices the user's certificates, newest first
 */
public record DeviceList(@JsonProperty("devices") List<DeviceInfo> devices) {
  public DeviceList {
    devices = List.copyOf(devices);
  }
}
