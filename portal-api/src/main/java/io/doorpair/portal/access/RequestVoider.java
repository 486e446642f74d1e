package io.doorpair.portal.access;

import io.doorpair.portal.notify.Notifier;
import io.doorpair.portal.notify.Topics;
import io.doorpair.portal.store.AccessRequest;
import io.doorpair.portal.store.PortalStore;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows a revocation or a guest's removal: pending requests are voided (each gets a {@code
 * voided} item on its gateway's channel) and the waiting long-polls are told.
 */
public final class RequestVoider {
  private static final Logger LOG = LoggerFactory.getLogger(RequestVoider.class);

  private final PortalStore store;
  private final Notifier notifier;
  private final Clock clock;

  public RequestVoider(PortalStore store, Notifier notifier, Clock clock) {
    this.store = store;
    this.notifier = notifier;
    this.clock = clock;
  }

  /**
   * After these certificates were revoked: voids their pending requests and publishes {@link
   * Topics#REVOKED}, so that every open long-poll checks its own certificate again.
   */
  public void certificatesRevoked(Collection<BigInteger> serials) {
    List<AccessRequest> voided = new ArrayList<>();
    for (BigInteger serial : serials) {
      voided.addAll(store.voidRequestsOf(serial, clock.instant()));
    }
    published(voided);
    notifier.publish(Topics.REVOKED);
  }

  /** Publishes the topics of requests that were voided (their channels, the requests). */
  public void published(List<AccessRequest> voided) {
    Set<String> domains = new LinkedHashSet<>();
    for (AccessRequest request : voided) {
      domains.add(request.domain());
      notifier.publish(Topics.request(request.id()));
      LOG.info(
          "access request id={} domain={} user={} voided",
          request.id(),
          request.domain(),
          request.username());
    }
    domains.forEach(domain -> notifier.publish(Topics.channel(domain)));
  }
}
