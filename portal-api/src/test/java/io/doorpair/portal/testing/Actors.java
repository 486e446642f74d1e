package io.doorpair.portal.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.portal.http.Json;
import io.doorpair.welcome.api.PairRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pairs apps and gateways with a test portal over real HTTPS and digest, as the real ones do, and
 * hands out raw clients presenting their certificates.
 */
public final class Actors {
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicInteger USERS = new AtomicInteger();

  private Actors() {}

  /** A paired app or gateway: its key, its certificate, and what the portal answered. */
  public record Device(
      KeyPair keys,
      X509Certificate certificate,
      Optional<String> instance,
      Optional<String> gruu,
      Optional<String> domain) {

    /** Raw requests to {@code portal} presenting this device's certificate. */
    public RawApi on(PortalExtension portal) {
      return RawApi.withCertificate(portal, keys.getPrivate(), List.of(certificate));
    }

    /** The certificate serial as the devices endpoint writes it. */
    public String serialHex() {
      return certificate.getSerialNumber().toString(16);
    }
  }

  /** Adds a fresh user to {@code portal}, named {@code prefix} and a number never used before. */
  public static String newUser(PortalExtension portal, String prefix, String password) {
    String name = prefix + USERS.incrementAndGet();
    portal.addUser(name, password);
    return name;
  }

  /** Pairs an app of {@code user} ({@code user@portal.localhost}). */
  public static Device app(PortalExtension portal, String user, String password) {
    return pair(portal, user, password, user + "@portal.localhost", "phone of " + user);
  }

  /** Pairs a gateway with a fresh random DOMAIN owned by {@code owner}. */
  public static Device gateway(PortalExtension portal, String owner, String password) {
    return pair(portal, owner, password, "ipgw@" + randomDomain(), "Gateway of " + owner);
  }

  /** A random DOMAIN: 12 characters of {@code [a-z0-9]}. */
  public static String randomDomain() {
    StringBuilder domain = new StringBuilder(12);
    for (int i = 0; i < 12; i++) {
      domain.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return domain.toString();
  }

  private static Device pair(
      PortalExtension portal, String user, String password, String cn, String friendlyName) {
    KeyPair keys = TestPki.nextKey();
    String csr = CertificateRequest.create(keys, cn, Optional.empty()).pem();
    try {
      RawApi.Exchange answer =
          RawApi.withDigest(portal, user, password)
              .postJson(
                  "/api/pair", Json.MAPPER.writeValueAsString(new PairRequest(csr, friendlyName)));
      if (answer.status() != 201) {
        throw new IllegalStateException("pairing " + cn + " failed: " + answer.body());
      }
      JsonNode node = Json.MAPPER.readTree(answer.body());
      return new Device(
          keys,
          Pem.parseCertificate(node.get("certificate").asText()),
          text(node, "instance"),
          text(node, "gruu"),
          text(node, "domain"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
  }
}
