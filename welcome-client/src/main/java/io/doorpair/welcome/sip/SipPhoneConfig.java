package io.doorpair.welcome.sip;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.CryptoException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a {@link SipPhone} needs. The address of record is the certificate's CN ({@code
 * username@<portal domain>}).
 *
 * @param key the device's private key
 * @param chain the device certificate first (CN {@code username@<portal domain>}, the {@code
 *     urn:uuid} SAN of {@code instance}), then any intermediates
 * @param portalCa the pinned portal CA: the only anchor the portal's certificate may chain to
 * @param instance the device instance bound in the certificate ({@code +sip.instance})
 * @param portalHost the portal SIP server's host name (or IP); its certificate must carry it
 * @param portalPort the portal SIP server's TLS port, 1-65535 (5061 usually)
 * @param registerExpires the expiry asked in REGISTER, 60 s-1 day (default 600 s); refreshed at
 *     half what the portal grants
 * @param keepAlive how often an RFC 5626 CRLF CRLF keep-alive goes out, 1 s-10 min (default 30 s)
 * @param pongTimeout how long after a keep-alive its CRLF pong (or any other bytes from the portal)
 *     may take before the flow counts as dead: closed, and the device registers again on a new
 *     connection; 1 s-5 min (default 10 s, RFC 5626 §4.4.1)
 * @param backoff waits between registration attempts after a failure or loss
 * @param doorOpen the door-open INFO body
 * @param requestTimeout how long an in-dialog request (door-open INFO, BYE) waits for its final
 *     answer, 1 s-5 min (default 60 s)
 */
public record SipPhoneConfig(
    PrivateKey key,
    List<X509Certificate> chain,
    X509Certificate portalCa,
    UUID instance,
    String portalHost,
    int portalPort,
    Duration registerExpires,
    Duration keepAlive,
    Duration pongTimeout,
    Backoff backoff,
    DoorOpen doorOpen,
    Duration requestTimeout) {

  /** Checks presence, ranges and that the certificate binds {@code instance}. */
  public SipPhoneConfig {
    Objects.requireNonNull(key, "key");
    chain = List.copyOf(chain);
    Objects.requireNonNull(portalCa, "portalCa");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(portalHost, "portalHost");
    Objects.requireNonNull(registerExpires, "registerExpires");
    Objects.requireNonNull(keepAlive, "keepAlive");
    Objects.requireNonNull(pongTimeout, "pongTimeout");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(doorOpen, "doorOpen");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("the certificate chain is empty");
    }
    if (portalHost.isEmpty() || !portalHost.matches("[A-Za-z0-9.:-]{1,253}")) {
      throw new IllegalArgumentException("the portal host is a DNS name or an IP address");
    }
    if (portalPort < 1 || portalPort > 65535) {
      throw new IllegalArgumentException("the portal port is 1-65535");
    }
    within("registerExpires", registerExpires, Duration.ofSeconds(60), Duration.ofDays(1));
    within("keepAlive", keepAlive, Duration.ofSeconds(1), Duration.ofMinutes(10));
    within("pongTimeout", pongTimeout, Duration.ofSeconds(1), Duration.ofMinutes(5));
    within("requestTimeout", requestTimeout, Duration.ofSeconds(1), Duration.ofMinutes(5));
    CertificateIdentity identity;
    try {
      identity = CertificateIdentity.of(chain.get(0));
    } catch (CryptoException e) {
      throw new IllegalArgumentException("the device certificate: " + e.getMessage(), e);
    }
    if (!identity.instance().equals(java.util.Optional.of(instance))) {
      throw new IllegalArgumentException("the device certificate does not bind this instance");
    }
  }

  /**
   * A configuration with the defaults: REGISTER for 600 s, keep-alive every 30 s, pong within 10 s,
   * {@link Backoff#DEFAULT}, {@link DoorOpen#DEFAULT}, 60 s request timeout.
   *
   * @param key the device's private key
   * @param chain the device certificate first
   * @param portalCa the pinned portal CA
   * @param instance the instance bound in the certificate
   * @param portalHost the portal SIP server's name
   * @param portalPort its TLS port
   * @return the configuration
   */
  public static SipPhoneConfig of(
      PrivateKey key,
      List<X509Certificate> chain,
      X509Certificate portalCa,
      UUID instance,
      String portalHost,
      int portalPort) {
    return new SipPhoneConfig(
        key,
        chain,
        portalCa,
        instance,
        portalHost,
        portalPort,
        Duration.ofSeconds(600),
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        Backoff.DEFAULT,
        DoorOpen.DEFAULT,
        Duration.ofSeconds(60));
  }

  /**
   * This configuration with other registration timings.
   *
   * @param registerExpires the expiry asked
   * @param keepAlive the keep-alive period
   * @param backoff the retry waits
   * @return a copy
   */
  public SipPhoneConfig withTimings(Duration registerExpires, Duration keepAlive, Backoff backoff) {
    return new SipPhoneConfig(
        key,
        chain,
        portalCa,
        instance,
        portalHost,
        portalPort,
        registerExpires,
        keepAlive,
        pongTimeout,
        backoff,
        doorOpen,
        requestTimeout);
  }

  /**
   * This configuration with another keep-alive pong timeout.
   *
   * @param timeout how long a pong may take
   * @return a copy
   */
  public SipPhoneConfig withPongTimeout(Duration timeout) {
    return new SipPhoneConfig(
        key,
        chain,
        portalCa,
        instance,
        portalHost,
        portalPort,
        registerExpires,
        keepAlive,
        timeout,
        backoff,
        doorOpen,
        requestTimeout);
  }

  /**
   * This configuration with another door-open command.
   *
   * @param command the INFO body to send
   * @return a copy
   */
  public SipPhoneConfig withDoorOpen(DoorOpen command) {
    return new SipPhoneConfig(
        key,
        chain,
        portalCa,
        instance,
        portalHost,
        portalPort,
        registerExpires,
        keepAlive,
        pongTimeout,
        backoff,
        command,
        requestTimeout);
  }

  /**
   * The address of record, the certificate's CN.
   *
   * @return {@code username@<portal domain>}
   */
  public String aor() {
    return CertificateIdentity.of(chain.get(0)).commonName();
  }

  /** Never shows the key. */
  @Override
  public String toString() {
    return "SipPhoneConfig[" + aor() + ", " + instance + ", " + portalHost + ":" + portalPort + "]";
  }

  private static void within(String name, Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + " must be within " + min + " and " + max);
    }
  }
}
