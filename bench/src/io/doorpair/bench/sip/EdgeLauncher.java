package io.doorpair.bench.sip;

import io.doorpair.crypto.Pem;
import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.SipEdge;
import io.doorpair.sipedge.SipEdgeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts the portal SIP server (portal-sip-edge) with a {@code gen-certs.sh} CA and server
 * certificate, until the process is killed; a stand-in for {@code bin/portal-sip serve} while that
 * program does not exist.
 *
 * <p>Default settings except the connection caps, raised to {@value #CONNECTION_CAP} (total and per
 * certificate) since the load generator opens thousands of connections with a few certificates.
 *
 * <p>Arguments: {@code <host:port> <ca.crt> <server.crt> <server.key> <ready file>}; the ready file
 * gets the bound port once the listener is up.
 */
public final class EdgeLauncher {
  /** The portal domain of the {@code gen-certs.sh} client certificates ({@code user@portal}). */
  private static final String DOMAIN = "portal";

  /** Both connection caps (total and per certificate), above the 5,000 idle connections. */
  private static final int CONNECTION_CAP = 20_000;

  private EdgeLauncher() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: EdgeLauncher host:port ca.crt server.crt server.key ready-file");
      System.exit(2);
    }
    SipEdgeConfig defaults =
        SipEdgeConfig.of(
            SipEdgeConfig.parseListen(args[0]),
            DOMAIN,
            List.of(Pem.parseCertificate(read(args[1]))),
            Pem.parsePrivateKey(read(args[3])),
            Pem.parseCertificates(read(args[2])));
    // the load generator opens thousands of connections with a few certificates (the idle
    // scenario: 5,000 with user1..10): raise both caps above what it opens, as Kamailio has none
    SipEdgeConfig config =
        new SipEdgeConfig(
            defaults.listen(),
            defaults.domain(),
            defaults.caCertificates(),
            defaults.serverKey(),
            defaults.serverChain(),
            defaults.registration(),
            defaults.stack().withConnectionCaps(CONNECTION_CAP, CONNECTION_CAP),
            defaults.crl(),
            defaults.timerC());
    RunningSipEdge edge = SipEdge.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(edge::close, "edge-stop"));
    Path ready = Path.of(args[4]);
    Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(edge.sipAddress().getPort()));
    Files.move(tmp, ready);
    Thread.currentThread().join();
  }

  private static String read(String file) throws java.io.IOException {
    return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
  }
}
