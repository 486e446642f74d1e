package io.doorpair.crypto.internal;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one Bouncy Castle provider instance of this library, passed explicitly to every JCA lookup.
 * It is never registered with {@code Security.addProvider}, so embedding applications (Android apps
 * included) keep their own provider list untouched.
 */
public final class BouncyCastle {
  private static final Provider PROVIDER = new BouncyCastleProvider();

  private BouncyCastle() {}

  /** Returns the shared, unregistered Bouncy Castle provider. */
  public static Provider provider() {
    return PROVIDER;
  }
}
