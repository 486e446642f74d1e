package io.doorpair.e2e.harness;

import io.doorpair.sipedge.testing.LinphoneConfig;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import io.doorpair.welcome.api.RequestStatus;
import io.doorpair.welcome.flow.Pairing;
import io.doorpair.welcome.flow.PairingRequest;
import io.doorpair.welcome.flow.ReceivedAccount;
import io.doorpair.welcome.flow.WaitProgress;
import io.doorpair.welcome.flow.WelcomeApp;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.profile.PairedIdentity;
import io.doorpair.welcome.profile.Profile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A phone or tablet of a portal user, paired at the portal and with an enabled account at one
 * gateway, obtained through the real flow: the app side is welcome-client's {@code
 * io.doorpair.welcome.flow} library (pairing with the key made on the device, the access request,
 * the account and the security code it shows), the owner's side the gateway's admin site over HTTP
 * ({@link AdminSession}: approval with rights, the code typed).
 *
 * @param user the portal user
 * @param instance the device instance (its certificate's {@code urn:uuid})
 * @param key the device key
 * @param certificate the device certificate
 * @param client the app's portal client (mutual TLS)
 * @param sipUsername the gateway account's username
 * @param sipPassword the gateway account's password, as the app decrypted it
 */
public record AppDevice(
    String user,
    UUID instance,
    PrivateKey key,
    X509Certificate certificate,
    PortalClient client,
    String sipUsername,
    String sipPassword) {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final Pattern REQUEST = Pattern.compile("href=\"/requests/([0-9]+)\"");

  /**
   * Pairs a device of {@code user} at the portal, asks {@code domain} for an account, has the owner
   * approve it on the admin site with {@code rights} (form fields such as {@code door_calls=on})
   * and type the code the app shows; the app then decrypts its password. One request at a time: the
   * owner's site must list no other pending request.
   */
  public static AppDevice enable(
      Path profiles,
      PortalClient firstContact,
      AdminSession owner,
      String portalDomain,
      String domain,
      String user,
      String password,
      String deviceName,
      Map<String, String> rights)
      throws Exception {
    Profile profile = Profile.at(profiles.resolve(UUID.randomUUID().toString()));
    PairedIdentity identity =
        new Pairing(new SecureRandom())
            .pair(
                firstContact,
                profile,
                new PairingRequest(user, portalDomain, deviceName),
                password.toCharArray());
    WelcomeApp app = WelcomeApp.open(profile);
    expect(app.request(domain).status() == RequestStatus.PENDING, "the request is pending");
    String escaped = deviceName.replace("'", "&#39;");
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!owner.get("/requests").body().contains(escaped)) {
      expect(System.nanoTime() < end, deviceName + " on the admin site");
      Thread.sleep(200);
    }
    Matcher id = REQUEST.matcher(owner.get("/requests").body());
    expect(id.find(), "a request link on the admin site");
    String request = "/requests/" + id.group(1);
    owner.get(request);
    expectRedirect(owner.post(request + "/approve", rights), "approval");
    ReceivedAccount account = app.awaitAccount(domain, DEADLINE, WaitProgress.NONE);
    owner.get(request);
    expectRedirect(
        owner.post(request + "/code", Map.of("code", account.code().value())), "security code");
    return new AppDevice(
        user,
        identity.settings().instance(),
        identity.key(),
        identity.certificate(),
        app.portal(),
        account.account().sipUsername(),
        app.sipPassword(domain).reveal());
  }

  /** The same device with another gateway password (to see it refused). */
  public AppDevice withSipPassword(String password) {
    return new AppDevice(user, instance, key, certificate, client, sipUsername, password);
  }

  /**
   * A Linphone for this device, as {@code welcome linphonerc} writes it: its certificate at the
   * portal's SIP server ({@code proxy}, TLS), its gateway account as digest credentials for realm
   * {@code domain}, DTMF sent as SIP INFO (the door-open command the b2b checks).
   */
  public LinphoneDaemon linphone(
      String portalDomain,
      X509Certificate ca,
      InetSocketAddress proxy,
      String domain,
      boolean register)
      throws IOException {
    LinphoneConfig config =
        new LinphoneConfig(
            user,
            portalDomain,
            Optional.of(instance),
            key,
            List.of(certificate),
            ca,
            proxy,
            register);
    String extra =
        String.join(
            "\n",
            "[sip]",
            "use_info=1",
            "use_rfc2833=0",
            "",
            "[auth_info_1]",
            "username=" + user,
            "userid=" + sipUsername,
            "passwd=" + sipPassword,
            "realm=" + domain,
            "domain=" + portalDomain,
            "");
    return LinphoneDaemon.start(config, extra);
  }

  private static void expectRedirect(HttpResponse<String> response, String what) {
    if (response.statusCode() != 303) {
      throw new AssertionError(
          what + ": expected 303, got " + response.statusCode() + "\n" + response.body());
    }
  }

  private static void expect(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError("expected: " + what);
    }
  }
}
