package io.doorpair.welcome.cli;

import io.doorpair.welcome.profile.Profile;
import io.doorpair.welcome.profile.ProfileSettings;
import io.doorpair.welcome.profile.StoredAccount;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A linphonerc (linphonec, linphone-daemon) that makes Linphone this device: its certificate and
 * unencrypted key over TLS, the pinned portal CA, its {@code [misc] uuid}, registration at the
 * portal SIP server, and the gateway account as digest credentials for realm DOMAIN.
 *
 * @param profile the paired profile (file paths)
 * @param settings its settings
 * @param account the gateway account
 * @param password the account's decrypted SIP password
 * @param proxyHost the portal SIP server's host name, as its certificate names it
 * @param proxyPort its TLS port
 */
record LinphoneRc(
    Profile profile,
    ProfileSettings settings,
    StoredAccount account,
    String password,
    String proxyHost,
    int proxyPort) {
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._@+-]{1,128}");

  LinphoneRc {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(password, "password");
    if (!HOST.matcher(proxyHost).matches()) {
      throw new IllegalArgumentException("--proxy host must be a DNS name");
    }
    if (proxyPort < 1 || proxyPort > 65535) {
      throw new IllegalArgumentException("--proxy port must be 1-65535");
    }
    // Everything below goes into an INI file: refuse anything that could add a line or a key.
    for (String field :
        new String[] {
          settings.username(),
          settings.sipDomain(),
          account.sipUsername(),
          account.domain(),
          password
        }) {
      if (!TOKEN.matcher(field).matches()) {
        throw new IllegalArgumentException("a value for the linphonerc holds unsafe characters");
      }
    }
  }

  String text() {
    String server = proxyHost + ":" + proxyPort;
    String chain = profile.certificateFile().toString();
    String key = profile.keyFile().toString();
    String aor = settings.username() + "@" + settings.sipDomain();
    return String.join(
        "\n",
        "# Written by welcome linphonerc: this device ("
            + aor
            + ") and its account on "
            + account.domain(),
        "[sip]",
        "sip_port=0",
        "sip_tcp_port=0",
        "sip_tls_port=-1",
        "default_proxy=0",
        "root_ca=" + profile.caFile(),
        "verify_server_certs=1",
        "verify_server_cn=1",
        "client_cert_chain=" + chain,
        "client_cert_key=" + key,
        "register_only_when_network_is_up=0",
        "ping_with_options=0",
        "use_ipv6=0",
        "keepalive_period=30000",
        "guess_hostname=1",
        // DTMF as SIP INFO: the b2b checks the open-door right on INFO; RFC 4733 events travel
        // in RTP, end to end, where it cannot (ipgw-b2b/README.md).
        "use_info=1",
        "use_rfc2833=0",
        "",
        "[auth_info_0]",
        "username=" + settings.username(),
        "domain=" + settings.sipDomain(),
        "client_cert_chain=" + chain,
        "client_cert_key=" + key,
        "",
        "[auth_info_1]",
        "username=" + settings.username(),
        "userid=" + account.sipUsername(),
        "passwd=" + password,
        "realm=" + account.domain(),
        "domain=" + settings.sipDomain(),
        "",
        "[proxy_0]",
        "reg_proxy=<sip:" + server + ";transport=tls>",
        "reg_route=<sip:" + server + ";transport=tls;lr>",
        "reg_identity=\"" + settings.username() + "\" <sip:" + aor + ">",
        "reg_expires=600",
        "reg_sendregister=1",
        "publish=0",
        "dial_escape_plus=0",
        "quality_reporting_enabled=0",
        "avpf=0",
        "nat_policy_ref=",
        "",
        "[misc]",
        "uuid=" + settings.instance(),
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
