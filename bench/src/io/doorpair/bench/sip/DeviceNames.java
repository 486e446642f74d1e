package io.doorpair.bench.sip;

import java.util.concurrent.atomic.AtomicLong;

/** Peer names used once each, so that every new connection makes a full TLS handshake. */
final class DeviceNames {
  static final DeviceNames SHARED = new DeviceNames();
  private final AtomicLong next = new AtomicLong();

  String next() {
    return "device" + next.incrementAndGet();
  }
}
