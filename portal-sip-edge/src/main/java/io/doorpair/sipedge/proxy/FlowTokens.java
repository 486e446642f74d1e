package io.doorpair.sipedge.proxy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Record-Route flow tokens: the user part of the proxy's Record-Route URI names the two connections
 * of a dialog (the caller's and the callee's), so that an in-dialog request arriving on one goes
 * out on the other and is never sent by dialling a Contact. A token is {@code base64url(flowA "|"
 * flowB) "." base64url(mac)} where the MAC is HMAC-SHA256 (truncated to 128 bits) over the dialog's
 * Call-ID and both flows, keyed with a random key made per process: a token cannot be forged or
 * altered, nor moved to another dialog, and tokens die with the process (their connections do too).
 *
 * <p>Thread-safe. The key never leaves this object.
 */
public final class FlowTokens {
  private static final int KEY_BYTES = 32;
  private static final int MAC_BYTES = 16;
  private static final int MAX_TOKEN = 512;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;

  /**
   * One keyed HMAC per thread: {@code Mac.getInstance} looks the provider up each time, which cost
   * more than the MAC itself on every proxied request. {@code doFinal} resets it for the next use.
   */
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

  /** Tokens under a fresh random key from {@code random}. */
  public FlowTokens(SecureRandom random) {
    byte[] k = new byte[KEY_BYTES];
    Objects.requireNonNull(random, "random").nextBytes(k);
    this.key = new SecretKeySpec(k, "HmacSHA256");
    Arrays.fill(k, (byte) 0);
  }

  /**
   * A token naming {@code caller} and {@code callee} for the dialog {@code callId}.
   *
   * @throws IllegalArgumentException when a flow contains {@code |}
   */
  public String mint(String callId, String caller, String callee) {
    Objects.requireNonNull(callId, "callId");
    if (caller.indexOf('|') >= 0 || callee.indexOf('|') >= 0) {
      throw new IllegalArgumentException("a flow must not contain |");
    }
    byte[] flows = (caller + "|" + callee).getBytes(StandardCharsets.UTF_8);
    return ENCODER.encodeToString(flows) + "." + ENCODER.encodeToString(mac(callId, flows));
  }

  /**
   * Opens a token received in a Route header.
   *
   * @param token the user part of the Route URI
   * @param callId the Call-ID of the request carrying it
   * @return both flows, or empty when the token is malformed, altered, forged or from another
   *     dialog
   */
  public Optional<FlowPair> open(String token, String callId) {
    if (token == null || callId == null || token.length() > MAX_TOKEN) {
      return Optional.empty();
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) {
      return Optional.empty();
    }
    byte[] flows;
    byte[] sent;
    try {
      flows = DECODER.decode(token.substring(0, dot));
      sent = DECODER.decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(sent, mac(callId, flows))) {
      return Optional.empty();
    }
    // only the one canonical spelling opens: base64url leaves the last character's unused bits
    // free, and a token must not have look-alikes
    if (!token.equals(ENCODER.encodeToString(flows) + "." + ENCODER.encodeToString(sent))) {
      return Optional.empty();
    }
    String text = new String(flows, StandardCharsets.UTF_8);
    int bar = text.indexOf('|');
    if (bar <= 0 || bar == text.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(new FlowPair(text.substring(0, bar), text.substring(bar + 1)));
  }

  /**
   * A Path token (RFC 3327) naming one device connection {@code flow} of this node, for the Path
   * URI a binding records: {@code base64url(flow) "." base64url(mac)}, the MAC over a marker no
   * dialog token has and the flow, under the same per-process key (a Path token never opens as a
   * dialog token, nor the reverse). Only requests from another SIP node may use one.
   *
   * @throws IllegalArgumentException when {@code flow} contains {@code |}
   */
  public String mintPath(String flow) {
    if (flow.isEmpty() || flow.indexOf('|') >= 0) {
      throw new IllegalArgumentException("a flow must be non-empty and not contain |");
    }
    byte[] bytes = flow.getBytes(StandardCharsets.UTF_8);
    return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(pathMac(bytes));
  }

  /**
   * Opens a Path token received in a Route header.
   *
   * @return the device connection it names, or empty when it is malformed, altered, forged or a
   *     dialog token
   */
  public Optional<String> openPath(String token) {
    if (token == null || token.length() > MAX_TOKEN) {
      return Optional.empty();
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) {
      return Optional.empty();
    }
    byte[] flow;
    byte[] sent;
    try {
      flow = DECODER.decode(token.substring(0, dot));
      sent = DECODER.decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(sent, pathMac(flow))
        || !token.equals(ENCODER.encodeToString(flow) + "." + ENCODER.encodeToString(sent))) {
      return Optional.empty();
    }
    String text = new String(flow, StandardCharsets.UTF_8);
    return text.isEmpty() || text.indexOf('|') >= 0 ? Optional.empty() : Optional.of(text);
  }

  private byte[] pathMac(byte[] flow) {
    Mac mac = macs.get();
    mac.update(intBytes(-1)); // a Call-ID's length is never negative: no dialog token's input
    mac.update(flow);
    return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
  }

  private byte[] mac(String callId, byte[] flows) {
    Mac mac = macs.get();
    byte[] id = callId.getBytes(StandardCharsets.UTF_8);
    mac.update(intBytes(id.length));
    mac.update(id);
    mac.update(flows);
    return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static byte[] intBytes(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  @Override
  public String toString() {
    return "FlowTokens[key=(redacted)]";
  }

  /**
   * The two connections of a dialog.
   *
   * @param caller the connection the dialog-creating request arrived on
   * @param callee the connection it was forwarded over
   */
  public record FlowPair(String caller, String callee) {
    /** Checks the components are present. */
    public FlowPair {
      Objects.requireNonNull(caller, "caller");
      Objects.requireNonNull(callee, "callee");
    }

    /**
     * Where a request that arrived on {@code arrivedOn} goes: the other flow, or empty when it
     * arrived on neither (it is then refused: a token only works from the dialog's own
     * connections).
     */
    public Optional<String> other(String arrivedOn) {
      if (caller.equals(arrivedOn)) {
        return Optional.of(callee);
      }
      if (callee.equals(arrivedOn)) {
        return Optional.of(caller);
      }
      return Optional.empty();
    }
  }
}
