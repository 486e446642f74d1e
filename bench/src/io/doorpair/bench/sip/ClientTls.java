package io.doorpair.bench.sip;

import io.doorpair.crypto.Pem;
import io.doorpair.crypto.tls.TlsMaterial;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The clients' TLS material from a {@code gen-certs.sh} folder: {@code ca.crt} as the only trust
 * anchor, and per user {@code user_domain.crt} + {@code .key} (the file name is the CN with
 * {@code @} replaced by {@code _}).
 */
final class ClientTls {
  private final Path dir;
  private final X509TrustManager trust;
  private final Map<String, X509KeyManager> keys = new HashMap<>();
  private final Map<String, SSLContext> shared = new HashMap<>();

  ClientTls(Path dir) throws IOException {
    this.dir = dir;
    this.trust = TlsMaterial.trustManager(List.of(Pem.parseCertificate(read("ca.crt"))));
  }

  private String read(String name) throws IOException {
    return Files.readString(dir.resolve(name), StandardCharsets.US_ASCII);
  }

  private synchronized X509KeyManager keys(String user) throws IOException {
    X509KeyManager km = keys.get(user);
    if (km == null) {
      String base = user.replace('@', '_');
      km =
          TlsMaterial.keyManager(
              Pem.parsePrivateKey(read(base + ".key")), Pem.parseCertificates(read(base + ".crt")));
      keys.put(user, km);
    }
    return km;
  }

  /**
   * One context per user, reused (a session is resumed only for the same peer name, see {@link
   * SipConnection#openFull}); its client session cache is kept small.
   */
  synchronized SSLContext context(String user) throws IOException {
    SSLContext c = shared.get(user);
    if (c == null) {
      c = TlsMaterial.context(Optional.of(keys(user)), trust);
      c.getClientSessionContext().setSessionCacheSize(64);
      shared.put(user, c);
    }
    return c;
  }
}
