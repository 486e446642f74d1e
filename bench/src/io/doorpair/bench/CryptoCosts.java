package io.doorpair.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import javax.crypto.KeyAgreement;

/**
 * CPU time per operation of the public-key work in a pairing and its TLS handshake, on this JVM's
 * own providers, one thread, measured with the thread's CPU time (so other work on the machine
 * hardly changes it): the CA's RSA-3072 signature, the server's TLS 1.3 CertificateVerify
 * (RSA-2048 PSS), the CSR signature check, X25519 and P-256 key exchange, and ECDSA P-256 for
 * comparison. {@code java -cp bench/target/classes io.doorpair.bench.CryptoCosts} after a {@code
 * pairing.sh} run; run it with another JDK's {@code java} to compare JDKs.
 */
public final class CryptoCosts {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private CryptoCosts() {}

  private interface Operation {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    System.out.println("| operation (" + System.getProperty("java.version") + ") | CPU ms |");
    System.out.println("|---|---|");
    byte[] tbs = new byte[800];
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair rsa2048 = rsa.generateKeyPair();
    rsa.initialize(3072);
    KeyPair rsa3072 = rsa.generateKeyPair();
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair p256 = ec.generateKeyPair();
    measure(
        "RSA-3072 SHA256withRSA sign (the CA)",
        () -> sign("SHA256withRSA", rsa3072, tbs, false));
    measure(
        "RSA-2048 RSASSA-PSS sign (TLS 1.3 CertificateVerify)",
        () -> sign("RSASSA-PSS", rsa2048, tbs, true));
    byte[] rsaSignature = sign("SHA256withRSA", rsa2048, tbs, false);
    measure(
        "RSA-2048 verify (the CSR's signature)",
        () -> verify("SHA256withRSA", rsa2048, tbs, rsaSignature));
    measure("ECDSA P-256 sign", () -> sign("SHA256withECDSA", p256, tbs, false));
    byte[] ecSignature = sign("SHA256withECDSA", p256, tbs, false);
    measure("ECDSA P-256 verify", () -> verify("SHA256withECDSA", p256, tbs, ecSignature));
    KeyPairGenerator x25519 = KeyPairGenerator.getInstance("X25519");
    KeyPair xPeer = x25519.generateKeyPair();
    measure("X25519 key pair + shared secret", () -> agree(x25519, "X25519", xPeer));
    KeyPair ecPeer = ec.generateKeyPair();
    measure("P-256 ECDH key pair + shared secret", () -> agree(ec, "ECDH", ecPeer));
  }

  private static byte[] sign(String algorithm, KeyPair keys, byte[] tbs, boolean pss)
      throws Exception {
    Signature signature = Signature.getInstance(algorithm);
    if (pss) {
      signature.setParameter(
          new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    }
    signature.initSign(keys.getPrivate());
    signature.update(tbs);
    return signature.sign();
  }

  private static void verify(String algorithm, KeyPair keys, byte[] tbs, byte[] bytes)
      throws Exception {
    Signature signature = Signature.getInstance(algorithm);
    signature.initVerify(keys.getPublic());
    signature.update(tbs);
    if (!signature.verify(bytes)) {
      throw new IllegalStateException("signature does not verify");
    }
  }

  private static void agree(KeyPairGenerator generator, String algorithm, KeyPair peer)
      throws Exception {
    KeyPair own = generator.generateKeyPair();
    KeyAgreement agreement = KeyAgreement.getInstance(algorithm);
    agreement.init(own.getPrivate());
    agreement.doPhase(peer.getPublic(), true);
    agreement.generateSecret();
  }

  /** Warms up, then runs the operation for 2 s of this thread's CPU time. */
  private static void measure(String name, Operation operation) throws Exception {
    for (int i = 0; i < 300; i++) {
      operation.run();
    }
    long start = CPU.getCurrentThreadCpuTime();
    int count = 0;
    while (CPU.getCurrentThreadCpuTime() - start < 2_000_000_000L) {
      operation.run();
      count++;
    }
    System.out.printf(
        "| %s | %.3f |%n", name, (CPU.getCurrentThreadCpuTime() - start) / 1e6 / count);
  }
}
