package io.doorpair.sipedge.stack;

import gov.nist.core.net.SecurityManagerProvider;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * Hands our key and trust managers to jain-sip, which instantiates its security provider by class
 * name with no arguments. {@link #offer} parks the managers under a random key for the duration of
 * the stack's construction; {@link #init} takes them out again, so nothing lingers in the static
 * map.
 *
 * <p>Public only because the stack creates it by reflection; not an API.
 */
public final class EdgeSecurityProvider implements SecurityManagerProvider {
  static final String HANDOFF_PROPERTY = "io.doorpair.sipedge.TLS_HANDOFF";

  private static final Map<String, Managers> PARKED = new ConcurrentHashMap<>();

  private volatile Managers managers;

  /** For the stack's reflection. */
  public EdgeSecurityProvider() {}

  /** Parks the managers; returns the key to put in the stack properties. */
  static String offer(X509KeyManager keys, X509TrustManager trust) {
    String key = UUID.randomUUID().toString();
    PARKED.put(key, new Managers(keys, trust));
    return key;
  }

  /** Drops what {@link #offer} parked, if the stack never took it. */
  static void withdraw(String key) {
    PARKED.remove(key);
  }

  @Override
  public void init(Properties properties) throws GeneralSecurityException {
    String key = properties.getProperty(HANDOFF_PROPERTY);
    Managers parked = key == null ? null : PARKED.remove(key);
    if (parked == null) {
      throw new GeneralSecurityException("no TLS material was handed to this SIP stack");
    }
    this.managers = parked;
  }

  @Override
  public KeyManager[] getKeyManagers(boolean client) {
    return new KeyManager[] {managers.keys()};
  }

  @Override
  public TrustManager[] getTrustManagers(boolean client) {
    return new TrustManager[] {managers.trust()};
  }

  private record Managers(X509KeyManager keys, X509TrustManager trust) {
    Managers {
      Objects.requireNonNull(keys, "keys");
      Objects.requireNonNull(trust, "trust");
    }
  }
}
