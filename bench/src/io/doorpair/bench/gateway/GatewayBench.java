package io.doorpair.bench.gateway;

import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.PublicKeyHash;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.crypto.SecurityCode;
import io.doorpair.crypto.SipPasswordCipher;
import io.doorpair.welcome.api.AccessStatus;
import io.doorpair.welcome.api.CertificateResponse;
import io.doorpair.welcome.api.RequestStatus;
import io.doorpair.welcome.http.PortalClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The owner's journey on a real {@code bin/ipgw} admin site against a real {@code bin/portal},
 * repeated for N app devices: the owner pairs the gateway once; then each app (its own RSA-2048
 * key) pairs with the portal and asks for an account; the owner sees the request on the site,
 * approves it while the app long-polls {@code get_approved_account}, and types the app's security
 * code, which enables the account. Prints {@code key=value} lines: the domain, and the
 * approval-to-app latencies (from just before the owner's approve POST to the app's long-poll
 * returning the approved account, whose password it then decrypts).
 *
 * <p>Usage: {@code GatewayBench SITE ADMIN_PASSWORD PORTAL_API PORTAL_CA USER PASSWORD COUNT
 * MAX_SECONDS [PHONE_DIR]}: with PHONE_DIR, each app's key, certificate and instance UUID are
 * written there as {@code phone-N.key}, {@code phone-N.crt}, {@code phone-N.uuid} (for phones that
 * register at the portal's SIP edge, as {@code bench/b2b.sh} does).
 */
public final class GatewayBench {
  private static final Pattern DOMAIN = Pattern.compile("id=\"domain\">([a-z0-9]{12})<");
  private static final Pattern REQUEST = Pattern.compile("href=\"/requests/([0-9]+)\"");

  private GatewayBench() {}

  public static void main(String[] args) throws Exception {
    String site = args[0];
    String adminPassword = args[1];
    String api = args[2];
    X509Certificate ca = Pem.parseCertificate(Files.readString(Path.of(args[3])));
    String user = args[4];
    String password = args[5];
    int count = Integer.parseInt(args[6]);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[7]));
    Optional<Path> phones = args.length > 8 ? Optional.of(Path.of(args[8])) : Optional.empty();

    AdminSite owner = new AdminSite(site);
    owner.get("/login");
    owner.submit("/login", Map.of("password", adminPassword));
    owner.get("/pairing");
    long pairStart = System.nanoTime();
    owner.submit(
        "/pairing",
        Map.of("username", user, "password", password, "friendly_name", "Location: Bench"));
    long pairMs = ms(System.nanoTime() - pairStart);
    String domain = find(DOMAIN, owner.get("/pairing").body());
    System.out.println("domain=" + domain);
    System.out.println("gateway_pairing_ms=" + pairMs);

    PortalClient firstContact = PortalClient.builder(api).trustAnchors(List.of(ca)).build();
    Set<String> seen = new HashSet<>();
    List<Long> latencies = new ArrayList<>();
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < count; i++) {
      if (System.nanoTime() > deadline) {
        System.err.println("gateway bench: time is up after " + i + " accounts");
        break;
      }
      KeyPair keys = RsaKeys.generate(2048);
      UUID instance = UUID.randomUUID();
      CertificateResponse paired =
          firstContact.pair(
              user,
              password.toCharArray(),
              CertificateRequest.create(keys, user + "@portal.localhost", Optional.of(instance))
                  .pem(),
              String.format(Locale.ROOT, "bench phone %03d", i));
      X509Certificate cert = Pem.parseCertificate(paired.certificate());
      if (phones.isPresent()) {
        Files.createDirectories(phones.get());
        Path keyFile = phones.get().resolve("phone-" + i + ".key");
        Files.createFile( // 0600 from the start: the phone's private key
            keyFile,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyFile, Pem.privateKey(keys.getPrivate()));
        Files.writeString(phones.get().resolve("phone-" + i + ".crt"), paired.certificate());
        Files.writeString(phones.get().resolve("phone-" + i + ".uuid"), instance.toString());
      }
      PortalClient app = firstContact.withIdentity(keys.getPrivate(), List.of(cert), ca);
      AccessStatus asked = app.createSipAccount(domain);
      if (asked.status() != RequestStatus.PENDING) {
        throw new IllegalStateException("expected a pending request, got " + asked.status());
      }
      String id = awaitNewRequest(owner, seen, deadline);
      seen.add(id);
      owner.get("/requests/" + id);
      // The app waits for its account, long-polling, before the owner approves.
      CompletableFuture<Long> seenAt =
          CompletableFuture.supplyAsync(
              () -> {
                AccessStatus status =
                    app.approvedAccount(domain, Optional.of(Duration.ofSeconds(30)));
                long at = System.nanoTime();
                if (status.status() != RequestStatus.APPROVED) {
                  throw new IllegalStateException("app saw " + status.status());
                }
                SipPasswordCipher.decrypt(status.encryptedPassword(), keys.getPrivate());
                return at;
              });
      Thread.sleep(50); // lets the app's long-poll reach the portal and wait
      long approve = System.nanoTime();
      owner.submit("/requests/" + id + "/approve", Map.of("door_calls", "on", "open_door", "on"));
      long at = seenAt.get(60, TimeUnit.SECONDS);
      latencies.add(at - approve);
      SecurityCode code = SecurityCode.generate(PublicKeyHash.of(cert), random);
      owner.get("/requests/" + id);
      owner.submit("/requests/" + id + "/code", Map.of("code", code.value()));
    }
    String accounts = owner.get("/accounts").body();
    int enabled = accounts.split("class=\"state\">enabled<", -1).length - 1;
    latencies.sort(null);
    System.out.println("approvals=" + latencies.size());
    System.out.println("enabled=" + enabled);
    System.out.println(String.format(Locale.ROOT, "approve_p50_ms=%.1f", pct(latencies, 50)));
    System.out.println(String.format(Locale.ROOT, "approve_p99_ms=%.1f", pct(latencies, 99)));
    System.out.println(
        String.format(
            Locale.ROOT,
            "approve_max_ms=%.1f",
            latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1) / 1e6));
  }

  private static String awaitNewRequest(AdminSite owner, Set<String> seen, long deadline)
      throws Exception {
    long until =
        Math.min(
            deadline + TimeUnit.SECONDS.toNanos(30),
            System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
    while (System.nanoTime() < until) {
      Matcher m = REQUEST.matcher(owner.get("/requests").body());
      while (m.find()) {
        if (!seen.contains(m.group(1))) {
          return m.group(1);
        }
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the request never reached the admin site");
  }

  private static double pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static String find(Pattern p, String text) {
    Matcher m = p.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException(p + " not in the page");
    }
    return m.group(1);
  }
}
