package io.doorpair.sipedge.metrics;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observer the running server reports to, set once it is known: the stack is built before the
 * portal plugs its metrics in. A failing observer is logged and never disturbs SIP.
 */
public final class ObserverSlot implements EdgeObserver {
  private static final Logger LOG = LoggerFactory.getLogger(ObserverSlot.class);

  private volatile EdgeObserver observer = EdgeObserver.NONE;

  /** Reports to {@code observer} from now on. */
  public void set(EdgeObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  @Override
  public void handshakeFailed(HandshakeFailure reason) {
    try {
      observer.handshakeFailed(reason);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void registerAnswered(int status) {
    try {
      observer.registerAnswered(status);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void inviteAnswered(int status) {
    try {
      observer.inviteAnswered(status);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void revokedConnectionsClosed(int count) {
    try {
      observer.revokedConnectionsClosed(count);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void registerOutcome(RegisterResult result) {
    try {
      observer.registerOutcome(result);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void identityMismatch() {
    try {
      observer.identityMismatch();
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void callStarted() {
    try {
      observer.callStarted();
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  private static void failed(RuntimeException e) {
    LOG.warn("metrics observer failed: {}", e.toString());
  }
}
