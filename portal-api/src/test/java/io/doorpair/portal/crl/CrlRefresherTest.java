package io.doorpair.portal.crl;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.ca.CaKeyFiles;
import io.doorpair.ca.CaSettings;
import io.doorpair.ca.CertificateAuthority;
import io.doorpair.crypto.Pem;
import io.doorpair.portal.store.PortalStore;
import io.doorpair.portal.store.jdbc.JdbcStores;
import io.doorpair.portal.testing.Await;
import io.doorpair.portal.testing.SettableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code crl.pem} in the data folder is signed again before its nextUpdate with nobody asking. */
class CrlRefresherTest {
  @TempDir Path data;

  private X509CRL fileCrl(Path file) {
    try {
      return Pem.parseCrl(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void crl_file_is_signed_again_before_its_next_update() throws Exception {
    SettableClock clock = new SettableClock();
    CertificateAuthority ca =
        CaKeyFiles.loadOrCreate(data, CaSettings.defaults(), clock, new SecureRandom());
    Path file = data.resolve("crl.pem");
    try (PortalStore store = JdbcStores.open("jdbc:sqlite:" + data.resolve("portal.db"))) {
      CrlService crl = new CrlService(ca, store, clock, file);
      X509CRL first = crl.currentCrl();
      assertThat(fileCrl(file).getThisUpdate()).isEqualTo(first.getThisUpdate());
      first.verify(ca.certificate().getPublicKey());

      CrlRefresher refresher = CrlRefresher.start(crl, Duration.ofMillis(50));
      try {
        // a refresh with nothing changed leaves the file alone
        Thread.sleep(200);
        assertThat(fileCrl(file).getThisUpdate()).isEqualTo(first.getThisUpdate());

        // 19 h later the CRL (valid 24 h) is within 6 h of its nextUpdate: signed again
        clock.shift(Duration.ofHours(19));
        Instant expected = clock.instant();
        Await.until(
            "crl.pem signed again",
            () -> !fileCrl(file).getThisUpdate().toInstant().isBefore(expected.minusSeconds(1)));
        X509CRL second = fileCrl(file);
        second.verify(ca.certificate().getPublicKey());
        assertThat(second.getNextUpdate().toInstant()).isAfter(first.getNextUpdate().toInstant());
      } finally {
        refresher.close();
      }
    }
  }
}
