package io.doorpair.ipgw.accounts;

import io.doorpair.b2b.conf.AppAccount;
import io.doorpair.b2b.conf.B2bConf;
import io.doorpair.b2b.conf.FileFormatException;
import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.ipgw.files.GatewayFileSet;
import io.doorpair.ipgw.files.GatewayFiles;
import io.doorpair.ipgw.store.Account;
import io.doorpair.ipgw.store.AccountTable;
import io.doorpair.ipgw.store.DoorTable;
import io.doorpair.ipgw.store.GatewayStore;
import io.doorpair.ipgw.store.OfflineAccountRow;
import io.doorpair.ipgw.store.OfflineAccountTable;
import io.doorpair.ipgw.store.Pairing;
import io.doorpair.ipgw.store.PairingTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders the files of DESIGN §6 from the store, which is their only source: the password file
 * holds {@code ipgw@DOMAIN}, every enabled account, every active offline (QR code) account and
 * every door station ({@code ipgw door add}); {@code acl.list} the portal users of the enabled
 * accounts that receive door calls, and the names of active offline accounts with external access
 * and door calls; {@code accounts.list} every app account with its rights and where it may be used:
 * each enabled portal-approved account ({@code portal}: its GRUU, never admitted on the LAN, so a
 * password taken from a phone paired through the portal does not open the LAN side), each active
 * offline account ({@code lan}, no GRUU; {@code portal,lan} with external access, else the b2b's
 * portal-side digest never accepts it). Door stations are the password-file accounts that {@code
 * accounts.list} does not name. Since the files are a function of the store, a crash between a
 * commit and a file write is repaired by {@link #writeAll} at the next start.
 */
public final class FileSync {
  private final GatewayStore store;
  private final GatewayFiles files;
  private final B2bSignal signal;

  /**
   * A renderer.
   *
   * @param store the source
   * @param files the writer
   * @param signal called after the ACL or accounts changed
   */
  public FileSync(GatewayStore store, GatewayFiles files, B2bSignal signal) {
    this.store = Objects.requireNonNull(store, "store");
    this.files = Objects.requireNonNull(files, "files");
    this.signal = Objects.requireNonNull(signal, "signal");
  }

  /**
   * Writes every file (after pairing, and at start-up); does nothing before the first pairing.
   *
   * @return true when paired (files written)
   * @throws UncheckedIOException when a file cannot be written
   */
  public boolean writeAll() {
    Optional<GatewayFileSet> set = snapshot();
    if (set.isEmpty()) {
      return false;
    }
    try {
      files.writeAll(set.get());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the gateway files", e);
    }
    signal.reload();
    return true;
  }

  /**
   * Writes the password file, {@code accounts.list} and {@code acl.list}, then signals the b2b.
   *
   * @throws UncheckedIOException when a file cannot be written
   * @throws IllegalStateException before pairing
   */
  public void writeAccess() {
    GatewayFileSet set =
        snapshot().orElseThrow(() -> new IllegalStateException("the gateway is not paired"));
    try {
      files.writeAccess(set);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the password file or acl.list", e);
    }
    signal.reload();
  }

  private Optional<GatewayFileSet> snapshot() {
    return store.transaction(
        c -> {
          Optional<Pairing> pairing = PairingTable.get(c);
          if (pairing.isEmpty()) {
            return Optional.empty();
          }
          Pairing p = pairing.get();
          List<PasswdEntry> entries = new ArrayList<>();
          Set<String> acl = new TreeSet<>();
          List<AppAccount> rights = new ArrayList<>();
          for (Account a : AccountTable.all(c)) {
            if (!a.enabled()) {
              continue;
            }
            entries.add(new PasswdEntry(a.sipUsername(), p.domain(), a.password()));
            if (a.rights().doorCalls()) {
              acl.add(a.username());
            }
            rights.add(appAccount(a));
          }
          for (OfflineAccountRow o : OfflineAccountTable.active(c)) {
            entries.add(new PasswdEntry(o.sipUsername(), p.domain(), o.password()));
            if (o.external() && o.rights().doorCalls()) {
              acl.add(o.name());
            }
            // every offline account is a LAN account; with external access also a portal one
            rights.add(
                new AppAccount(
                    o.sipUsername(),
                    o.name(),
                    Optional.empty(),
                    o.rights().doorCalls(),
                    o.rights().openDoor(),
                    o.rights().cameras(),
                    false,
                    o.external(),
                    true));
          }
          for (DoorTable.Door d : DoorTable.all(c)) {
            entries.add(new PasswdEntry(d.name(), p.domain(), d.password()));
          }
          B2bConf conf =
              new B2bConf(p.domain(), p.portalSipUri(), p.internalSipUri(), p.b2bPassword());
          return Optional.of(
              new GatewayFileSet(p.caPem(), p.agentPem(), conf, entries, acl, rights));
        });
  }

  /**
   * The line of {@code accounts.list} for an account. A GRUU that does not fit the file (it came
   * from the portal) is left out: a gruu-only account then receives no door call, never more.
   */
  private static AppAccount appAccount(Account a) {
    Optional<String> gruu = a.gruu().isBlank() ? Optional.empty() : Optional.of(a.gruu());
    try {
      return app(a, gruu);
    } catch (FileFormatException e) {
      return app(a, Optional.empty());
    }
  }

  private static AppAccount app(Account a, Optional<String> gruu) {
    return new AppAccount(
        a.sipUsername(),
        a.username(),
        gruu,
        a.rights().doorCalls(),
        a.rights().openDoor(),
        a.rights().cameras(),
        a.rights().gruuOnly());
  }
}
