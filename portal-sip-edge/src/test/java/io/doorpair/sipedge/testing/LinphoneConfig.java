package io.doorpair.sipedge.testing;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What one linphone-daemon device is: its SIP identity, its device instance ({@code [misc] uuid},
 * sent as {@code +sip.instance}), the client certificate and unencrypted key it presents over TLS,
 * the CA it verifies the server against, and the server it talks to (TLS only).
 *
 * @param user the user part of the identity ({@code alice}, {@code ipgw})
 * @param domain the host part ({@code portal.test}, a gateway DOMAIN)
 * @param instance the {@code [misc] uuid}; for an app it should be the certificate's {@code
 *     urn:uuid} SAN (a test may set another one to see it refused); empty for a gateway, whose
 *     certificate binds none: written {@code uuid=0}, which makes Linphone send no {@code
 *     +sip.instance} (without a uuid it would make one up and send it)
 * @param key the client key (written unencrypted, 0600: Linphone reads no encrypted key)
 * @param chain the client certificate first, then any intermediates
 * @param rootCa the CA the server certificate must chain to ({@code verify_server_certs=1})
 * @param proxy the server's TLS address (the daemon dials it as {@code reg_proxy} and route); its
 *     host string is the name the server certificate must carry as a DNS name: Linphone 5.1
 *     (mbedTLS 2.28) ignores IP-address SANs and, when a certificate has SANs, its CN, so a
 *     certificate for the IP 127.0.0.1 fails with {@code CN-mismatch}; use {@code localhost}
 * @param register whether the daemon registers ({@code reg_sendregister}); a caller that only
 *     places calls (a gateway whose certificate binds no instance) need not
 */
public record LinphoneConfig(
    String user,
    String domain,
    Optional<UUID> instance,
    PrivateKey key,
    List<X509Certificate> chain,
    X509Certificate rootCa,
    InetSocketAddress proxy,
    boolean register) {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** Checks the components (user and domain are plain tokens: they go into a config file). */
  public LinphoneConfig {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(rootCa, "rootCa");
    Objects.requireNonNull(proxy, "proxy");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a client certificate is needed");
    }
    if (!TOKEN.matcher(user).matches() || !TOKEN.matcher(domain).matches()) {
      throw new IllegalArgumentException("user and domain must be plain tokens");
    }
  }

  /** The address of record {@code user@domain}. */
  public String aor() {
    return user + "@" + domain;
  }

  /** This device, but with registration switched off or on. */
  public LinphoneConfig withRegister(boolean enabled) {
    return new LinphoneConfig(user, domain, instance, key, chain, rootCa, proxy, enabled);
  }

  /**
   * The linphonerc: TLS only on a random local port, server certificate and name verified, the
   * client certificate in {@code [sip]} and in the auth info, one proxy with a route to {@code
   * proxy}, a fixed uuid, no sound card, no video, no IPv6.
   *
   * @param chainFile the PEM file of {@link #chain}
   * @param keyFile the PEM file of {@link #key}
   * @param caFile the PEM file of {@link #rootCa}
   */
  public String linphonerc(Path chainFile, Path keyFile, Path caFile) {
    String server = proxy.getHostString() + ":" + proxy.getPort();
    return String.join(
        "\n",
        "[sip]",
        "sip_port=0",
        "sip_tcp_port=0",
        "sip_tls_port=-1",
        "default_proxy=0",
        "root_ca=" + caFile,
        "verify_server_certs=1",
        "verify_server_cn=1",
        "client_cert_chain=" + chainFile,
        "client_cert_key=" + keyFile,
        "register_only_when_network_is_up=0",
        "ping_with_options=0",
        "use_ipv6=0",
        "keepalive_period=30000",
        "guess_hostname=1",
        "",
        "[auth_info_0]",
        "username=" + user,
        "domain=" + domain,
        "client_cert_chain=" + chainFile,
        "client_cert_key=" + keyFile,
        "",
        "[proxy_0]",
        "reg_proxy=<sip:" + server + ";transport=tls>",
        "reg_route=<sip:" + server + ";transport=tls;lr>",
        "reg_identity=\"" + user + "\" <sip:" + aor() + ">",
        "reg_expires=600",
        "reg_sendregister=" + (register ? 1 : 0),
        "publish=0",
        "dial_escape_plus=0",
        "quality_reporting_enabled=0",
        "avpf=0",
        "nat_policy_ref=",
        "",
        "[misc]",
        "uuid=" + instance.map(UUID::toString).orElse("0"),
        "config-uri=",
        "version_check_url_root=",
        "max_calls=5",
        "history_max_size=0",
        "",
        "[net]",
        "firewall_policy=0",
        "mtu=1300",
        "enable_ipv6=0",
        "",
        "[rtp]",
        "audio_rtp_port=-1",
        "video_enabled=0",
        "",
        "[sound]",
        "echocancellation=0",
        "",
        "[video]",
        "capture=0",
        "display=0",
        "automatically_accept=0",
        "automatically_initiate=0",
        "");
  }
}
