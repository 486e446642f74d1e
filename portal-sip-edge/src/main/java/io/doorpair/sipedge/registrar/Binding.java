package io.doorpair.sipedge.registrar;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One registered device.
 *
 * @param aor the address of record {@code user@host}, lower case
 * @param key what identifies the device among the AOR's bindings: {@code urn:uuid:<instance>} for
 *     an app, the AOR itself for a certificate that binds no instance (a gateway)
 * @param contact the Contact URI the device registered, as sent (never dialled: requests go back
 *     over {@link #flow})
 * @param instance the device instance, when the certificate binds one
 * @param flow the connection the REGISTER arrived on, {@code tls:<ip>:<port>}
 * @param expiresAt when the binding lapses
 * @param node the SIP node holding {@link #flow}: {@link #LOCAL} with in-memory bindings, the
 *     node's name when bindings are shared between nodes (a flow name means something only on its
 *     node)
 * @param path the Path URI (RFC 3327) of the node holding {@link #flow}, {@code
 *     sip:TOKEN@host:port;transport=tls;lr}, where the token names the device's connection on that
 *     node under that node's own key; empty when bindings are not shared or the node takes no
 *     requests from other nodes. Only ever made by the node itself, never taken from a device.
 */
public record Binding(
    String aor,
    String key,
    String contact,
    Optional<UUID> instance,
    String flow,
    Instant expiresAt,
    String node,
    String path) {
  /** The node of bindings that are not shared: this one. */
  public static final String LOCAL = "";

  /** Checks the components are present. */
  public Binding {
    Objects.requireNonNull(aor, "aor");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(contact, "contact");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(flow, "flow");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(path, "path");
  }

  /** A binding held by {@code node}, without a Path. */
  public Binding(
      String aor,
      String key,
      String contact,
      Optional<UUID> instance,
      String flow,
      Instant expiresAt,
      String node) {
    this(aor, key, contact, instance, flow, expiresAt, node, "");
  }

  /** A binding held by this node ({@link #LOCAL}). */
  public Binding(
      String aor,
      String key,
      String contact,
      Optional<UUID> instance,
      String flow,
      Instant expiresAt) {
    this(aor, key, contact, instance, flow, expiresAt, LOCAL, "");
  }

  /** This binding as held by {@code node}. */
  public Binding onNode(String node) {
    return new Binding(aor, key, contact, instance, flow, expiresAt, node, path);
  }

  /** This binding with the Path {@code path}. */
  public Binding withPath(String path) {
    return new Binding(aor, key, contact, instance, flow, expiresAt, node, path);
  }

  /** Whether the binding is still live at {@code now}. */
  public boolean liveAt(Instant now) {
    return expiresAt.isAfter(now);
  }
}
