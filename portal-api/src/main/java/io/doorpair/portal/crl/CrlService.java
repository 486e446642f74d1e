package io.doorpair.portal.crl;

import io.doorpair.ca.CaKeyring;
import io.doorpair.ca.CertificateAuthority;
import io.doorpair.ca.RevokedSerial;
import io.doorpair.crypto.Pem;
import io.doorpair.portal.files.SecretFiles;
import io.doorpair.portal.store.PortalStore;
import io.doorpair.portal.store.Revocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the current CRL. It is signed again whenever the set of revocations in the store changed
 * (a revocation made by another portal process or by {@code portal user del} counts too) and before
 * its nextUpdate, when asked ({@link CrlRefresher} asks on a schedule); each new CRL is also
 * written to {@code crl.pem} in the data folder, where a SIP node on the same machine reads it, and
 * handed to every {@linkplain #onPublish listener} (the in-process SIP server).
 *
 * <p>During a CA rotation's overlap the previous CA signs a CRL of its own too, listing the same
 * revocations (serials are random, so a serial of one CA never names a certificate of the other):
 * it is written to {@code crl-previous.pem} and handed to the listeners before the current CA's, so
 * that revocations of certificates issued by either CA are honoured.
 */
public final class CrlService {
  private static final Logger LOG = LoggerFactory.getLogger(CrlService.class);

  /** How long a CRL is valid. */
  public static final Duration VALIDITY = Duration.ofDays(1);

  private static final Duration REFRESH_BEFORE = Duration.ofHours(6);

  private final CertificateAuthority ca;
  private final Optional<CertificateAuthority> previous;
  private final PortalStore store;
  private final Clock clock;
  private final Path file;
  private final Path previousFile;

  private final List<Consumer<X509CRL>> listeners = new CopyOnWriteArrayList<>();

  private Published current;

  private record Published(
      List<Revocation> revocations,
      X509CRL crl,
      Optional<X509CRL> previousCrl,
      String pem,
      Instant nextUpdate) {}

  /** CRLs of one CA, written to {@code file}. */
  public CrlService(CertificateAuthority ca, PortalStore store, Clock clock, Path file) {
    this(CaKeyring.of(ca), store, clock, file);
  }

  /**
   * CRLs of the CAs of {@code ring}: the current CA's written to {@code file}, the previous one's
   * (during a rotation) to {@code crl-previous.pem} beside it.
   */
  public CrlService(CaKeyring ring, PortalStore store, Clock clock, Path file) {
    this.ca = ring.current();
    this.previous = ring.previous();
    this.store = store;
    this.clock = clock;
    this.file = file;
    this.previousFile = file.resolveSibling("crl-previous.pem");
  }

  /** The CRL in PEM, signed again first if the revocations changed or it is close to expiry. */
  public synchronized String currentPem() {
    List<Revocation> revocations = store.revocations();
    Instant now = clock.instant();
    if (current == null
        || !current.revocations.equals(revocations)
        || now.isAfter(current.nextUpdate.minus(REFRESH_BEFORE))) {
      current = publish(revocations, now);
    }
    return current.pem;
  }

  /** The current CRL, signed again first as in {@link #currentPem()}. */
  public synchronized X509CRL currentCrl() {
    currentPem();
    return current.crl;
  }

  /**
   * The current CRL of every CA, the previous CA's first, signed again as in {@link #currentPem}.
   */
  public synchronized List<X509CRL> currentCrls() {
    currentPem();
    List<X509CRL> all = new ArrayList<>();
    current.previousCrl.ifPresent(all::add);
    all.add(current.crl);
    return List.copyOf(all);
  }

  /**
   * Calls {@code listener} with every CRL published from now on, in order, while this service's
   * lock is held. A listener that throws is logged and does not stop the publication.
   */
  public void onPublish(Consumer<X509CRL> listener) {
    listeners.add(listener);
  }

  private Published publish(List<Revocation> revocations, Instant now) {
    Instant nextUpdate = now.plus(VALIDITY);
    List<RevokedSerial> serials =
        revocations.stream().map(r -> new RevokedSerial(r.serial(), r.revokedAt())).toList();
    // The CRL number must grow across restarts and across processes: milliseconds do.
    BigInteger number = BigInteger.valueOf(now.toEpochMilli());
    Optional<X509CRL> previousCrl =
        previous.map(
            old -> {
              X509CRL signed = old.crl(serials, number, now, nextUpdate);
              write(previousFile, Pem.crl(signed));
              return signed;
            });
    X509CRL crl = ca.crl(serials, number, now, nextUpdate);
    String pem = Pem.crl(crl);
    write(file, pem);
    LOG.info(
        "published CRL number={} revoked={} cas={}",
        number,
        serials.size(),
        previousCrl.isPresent() ? 2 : 1);
    previousCrl.ifPresent(old -> tell(old, number));
    tell(crl, number);
    return new Published(List.copyOf(revocations), crl, previousCrl, pem, nextUpdate);
  }

  private void tell(X509CRL crl, BigInteger number) {
    for (Consumer<X509CRL> listener : listeners) {
      try {
        listener.accept(crl);
      } catch (RuntimeException e) {
        LOG.warn("a CRL listener refused CRL number={}: {}", number, e.getMessage());
      }
    }
  }

  private static void write(Path target, String pem) {
    try {
      SecretFiles.writePublic(target, pem);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }
}
