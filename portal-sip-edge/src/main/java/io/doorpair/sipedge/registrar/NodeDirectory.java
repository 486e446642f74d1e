package io.doorpair.sipedge.registrar;

import java.util.Map;

/**
 * The SIP nodes sharing the bindings, as their heartbeats announce them (DESIGN §10): which run,
 * where each listens, and which node certificates they present. Implementations are thread-safe.
 */
public interface NodeDirectory extends NodeLiveness {
  /**
   * The other nodes whose heartbeat is there now, by name, with the SIP address ({@code host:port})
   * each announced.
   *
   * @throws BindingsUnavailableException when the shared store fails or does not answer
   */
  Map<String, String> liveNodes();

  /**
   * Whether a node whose heartbeat is there now announced the certificate with this fingerprint
   * (lowercase hex SHA-256 of its DER): a node-to-node request is admitted only from such a peer.
   *
   * @throws BindingsUnavailableException when the shared store fails or does not answer
   */
  boolean liveCertificate(String fingerprint);
}
