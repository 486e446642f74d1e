package io.doorpair.bench;

import io.doorpair.crypto.Pem;
import io.doorpair.welcome.http.PortalClient;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The access bench's data set as the clients need it: a few RSA keys shared by many devices, and
 * for each gateway its owner, its certificate and the certificates of the owner's app devices.
 * Written by {@code seed} to a file in the bench's temporary folder (the keys are throw-away test
 * keys) and read by the measuring runs.
 *
 * <p>File format, one record a line, tab-separated: {@code K index base64(PKCS#8)}, {@code G domain
 * owner keyIndex base64(PEM)}, {@code A owner instance keyIndex base64(PEM)}.
 */
final class AccessDataSet {
  static final String PORTAL_DOMAIN = "portal.localhost";

  /** A device (gateway or app) of the data set. */
  record Device(String owner, String name, int key, String certificatePem) {}

  /** A gateway and the app devices of its owner. */
  record Gateway(Device gateway, List<Device> apps) {
    String domain() {
      return gateway.name();
    }
  }

  final List<PrivateKey> keys;
  final List<Gateway> gateways;

  AccessDataSet(List<PrivateKey> keys, List<Gateway> gateways) {
    this.keys = List.copyOf(keys);
    this.gateways = List.copyOf(gateways);
  }

  /** Gateway number {@code index}'s domain: 12 characters of [a-z0-9]. */
  static String domain(int index) {
    return String.format("bgw%09d", index);
  }

  /** The owner of gateway number {@code index}. */
  static String owner(int index) {
    return String.format("owner%04d", index);
  }

  int appCount() {
    return gateways.stream().mapToInt(g -> g.apps().size()).sum();
  }

  /**
   * A client of its own (own connection pool, so each device keeps its connection as a real one
   * would) presenting this device's certificate and pinning the portal CA.
   */
  PortalClient client(String api, X509Certificate ca, Device device) {
    X509Certificate certificate = Pem.parseCertificate(device.certificatePem());
    return PortalClient.builder(api)
        .pinnedCa(ca)
        .clientIdentity(keys.get(device.key()), List.of(certificate))
        .callTimeout(Duration.ofSeconds(60))
        .build();
  }

  void write(Path file) throws IOException {
    Base64.Encoder b64 = Base64.getEncoder();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      for (int i = 0; i < keys.size(); i++) {
        out.write("K\t" + i + "\t" + b64.encodeToString(keys.get(i).getEncoded()) + "\n");
      }
      for (Gateway g : gateways) {
        writeDevice(out, "G", g.gateway());
        for (Device app : g.apps()) {
          writeDevice(out, "A", app);
        }
      }
    }
  }

  private static void writeDevice(BufferedWriter out, String type, Device d) throws IOException {
    out.write(
        type
            + "\t"
            + d.name()
            + "\t"
            + d.owner()
            + "\t"
            + d.key()
            + "\t"
            + Base64.getEncoder()
                .encodeToString(d.certificatePem().getBytes(StandardCharsets.US_ASCII))
            + "\n");
  }

  static AccessDataSet read(Path file) throws Exception {
    List<PrivateKey> keys = new ArrayList<>();
    List<Gateway> gateways = new ArrayList<>();
    KeyFactory rsa = KeyFactory.getInstance("RSA");
    Base64.Decoder b64 = Base64.getDecoder();
    Device gateway = null;
    List<Device> apps = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] f = line.split("\t");
        switch (f[0]) {
          case "K" -> keys.add(rsa.generatePrivate(new PKCS8EncodedKeySpec(b64.decode(f[2]))));
          case "G" -> {
            if (gateway != null) {
              gateways.add(new Gateway(gateway, apps));
            }
            gateway = device(f);
            apps = new ArrayList<>();
          }
          case "A" -> apps.add(device(f));
          default -> throw new IOException("bad line in " + file);
        }
      }
    }
    if (gateway != null) {
      gateways.add(new Gateway(gateway, apps));
    }
    return new AccessDataSet(keys, gateways);
  }

  private static Device device(String[] f) {
    return new Device(
        f[2],
        f[1],
        Integer.parseInt(f[3]),
        new String(Base64.getDecoder().decode(f[4]), StandardCharsets.US_ASCII));
  }
}
