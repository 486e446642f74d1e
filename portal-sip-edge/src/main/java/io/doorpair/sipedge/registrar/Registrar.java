package io.doorpair.sipedge.registrar;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.sipedge.admission.IdentityCheck;
import io.doorpair.sipedge.logging.LimitedLog;
import io.doorpair.sipedge.registrar.RegisterOutcome.Accepted;
import io.doorpair.sipedge.registrar.RegisterOutcome.Refused;
import io.doorpair.sipedge.registrar.RegisterOutcome.RegisteredContact;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REGISTER rules of DESIGN §7, after the From check has passed: no third-party registration (To
 * equals From); one Contact per request; an app registers only the instance bound in its
 * certificate, a certificate without an instance (a gateway) registers one binding keyed by its
 * AOR; expiry within the {@link RegistrationPolicy}; {@code Expires: 0} or {@code Contact: *}
 * removes the device's own binding; {@code pub-gruu} returned when the client supports GRUU.
 */
public final class Registrar {
  /** Reason phrase when To differs from From. */
  public static final String THIRD_PARTY = "Third-party registration is not allowed";

  /** Reason phrase when the Contact's instance is not the certificate's. */
  public static final String WRONG_INSTANCE = "Instance not bound to the certificate";

  private static final Logger LOG = LoggerFactory.getLogger(Registrar.class);
  private static final LimitedLog REFUSALS = new LimitedLog(LOG, 10);

  private final Bindings bindings;
  private final RegistrationPolicy policy;
  private final Clock clock;
  private final Executor cleanup;
  private volatile Function<String, String> paths = flow -> "";

  /** A registrar over {@code bindings}; closed flows are forgotten on the caller's thread. */
  public Registrar(Bindings bindings, RegistrationPolicy policy, Clock clock) {
    this(bindings, policy, clock, Runnable::run);
  }

  /**
   * A registrar over {@code bindings}.
   *
   * @param cleanup where {@link #flowClosed} forgets a closed flow's bindings: a shared store
   *     blocks on the network, and the flow close is reported on the stack's I/O thread
   */
  public Registrar(Bindings bindings, RegistrationPolicy policy, Clock clock, Executor cleanup) {
    this.bindings = Objects.requireNonNull(bindings, "bindings");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.cleanup = Objects.requireNonNull(cleanup, "cleanup");
  }

  /**
   * Makes every binding from now on record this node's Path for its connection (RFC 3327), so that
   * the other SIP nodes sharing the bindings can route to it: {@code pathOf} gives the Path URI for
   * a flow. A Path header sent by a device is never read: only the node writes one.
   */
  public void usePaths(Function<String, String> pathOf) {
    this.paths = Objects.requireNonNull(pathOf, "pathOf");
  }

  /**
   * Applies a REGISTER sent by the holder of {@code certificate}.
   *
   * @param certificate who sent it (the From already matched it)
   * @param request the request
   * @return what to answer
   * @throws BindingsUnavailableException when a shared store fails (answer {@code 503})
   */
  public RegisterOutcome register(CertificateIdentity certificate, RegisterRequest request) {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(request, "request");
    if (!IdentityCheck.sameUserAtHost(request.from(), request.to())) {
      return refused(403, THIRD_PARTY);
    }
    String aor = certificate.commonName().toLowerCase(Locale.ROOT);
    Optional<UUID> instance = certificate.instance();
    String key = instance.map(i -> "urn:uuid:" + i).orElse(aor);
    Instant now = clock.instant();
    if (request.wildcard()) {
      if (!request.contacts().isEmpty()
          || request.expires().isEmpty()
          || request.expires().getAsLong() != 0) {
        return refused(400, "Contact: * needs Expires: 0 and no other Contact");
      }
      unbind(aor, key);
      return accepted(aor, now, request.supportsGruu());
    }
    if (request.contacts().isEmpty()) {
      return accepted(aor, now, request.supportsGruu());
    }
    if (request.contacts().size() > 1) {
      return refused(400, "One Contact per REGISTER");
    }
    ContactField contact = request.contacts().get(0);
    Optional<UUID> sent = contact.instance().flatMap(Instances::parse);
    if (contact.instance().isPresent() && sent.isEmpty()) {
      return refused(400, "Malformed +sip.instance");
    }
    if (!sent.equals(instance)) {
      REFUSALS.info("REGISTER of {} refused: instance {} is not the certificate's", aor, sent);
      return refused(403, WRONG_INSTANCE);
    }
    long seconds =
        contact.expires().orElse(request.expires().orElse(policy.fallback().getSeconds()));
    if (seconds < 0) {
      return refused(400, "Negative expiry");
    }
    if (seconds == 0) {
      unbind(aor, key);
      return accepted(aor, now, request.supportsGruu());
    }
    if (seconds < policy.minimum().getSeconds()) {
      return new Refused(423, "Interval Too Brief", OptionalLong.of(policy.minimum().getSeconds()));
    }
    long granted = Math.min(seconds, policy.maximum().getSeconds());
    bindings.put(
        new Binding(
                aor,
                key,
                contact.uri(),
                instance,
                request.flow(),
                now.plus(Duration.ofSeconds(granted)))
            .withPath(paths.apply(request.flow())));
    LOG.debug("registered {} key {} on {} for {} s", aor, key, request.flow(), granted);
    return accepted(aor, now, request.supportsGruu());
  }

  /**
   * Forgets the bindings made over a connection that has closed: requests to those devices must
   * never be sent by dialling their Contact (DESIGN §7).
   *
   * @param flow the closed connection, {@code tls:<ip>:<port>}
   */
  public void flowClosed(String flow) {
    Objects.requireNonNull(flow, "flow");
    try {
      cleanup.execute(() -> forgetFlow(flow));
    } catch (RejectedExecutionException e) {
      REFUSALS.warn("bindings of closed {} not removed: cleanup queue full or stopped", flow);
    }
  }

  private void forgetFlow(String flow) {
    try {
      for (Binding b : bindings.removeFlow(flow)) {
        LOG.debug("unregistered {} key {}: its connection {} closed", b.aor(), b.key(), flow);
      }
    } catch (BindingsUnavailableException e) {
      // they lapse at their expiry; until then requests to them find no connection (480)
      REFUSALS.warn("bindings of closed {} not removed: {}", flow, e.getMessage());
    }
  }

  private void unbind(String aor, String key) {
    if (bindings.remove(aor, key)) {
      LOG.debug("unregistered {} key {}", aor, key);
    }
  }

  private Accepted accepted(String aor, Instant now, boolean gruu) {
    List<RegisteredContact> contacts = new ArrayList<>();
    for (Binding b : bindings.of(aor, now)) {
      long left = Math.max(1, Duration.between(now, b.expiresAt()).getSeconds());
      contacts.add(
          new RegisteredContact(
              b.contact(),
              left,
              b.instance().map(Instances::contactValue),
              gruu ? b.instance().map(i -> Instances.publicGruu(aor, i)) : Optional.empty()));
    }
    return new Accepted(contacts);
  }

  private static Refused refused(int status, String reason) {
    return new Refused(status, reason, OptionalLong.empty());
  }
}
