package io.doorpair.welcome.sip;

import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

/** What the calls of one phone share: the stack's provider and factories, the registration. */
final class PhoneContext {
  final SipProvider provider;
  final MessageFactory messages;
  final HeaderFactory headers;
  final AddressFactory addresses;
  final SipPhoneConfig config;
  final CallListener listener;
  final Registration registration;
  private final Map<String, BaseCall> calls = new ConcurrentHashMap<>();
  private final java.util.Set<java.util.concurrent.CompletableFuture<Void>> byes =
      ConcurrentHashMap.newKeySet();

  PhoneContext(
      SipProvider provider,
      MessageFactory messages,
      HeaderFactory headers,
      AddressFactory addresses,
      SipPhoneConfig config,
      CallListener listener,
      Registration registration) {
    this.provider = provider;
    this.messages = messages;
    this.headers = headers;
    this.addresses = addresses;
    this.config = config;
    this.listener = listener;
    this.registration = registration;
  }

  /** The Contact for calls: the public GRUU when the portal gave one, else the registered one. */
  ContactHeader contact() throws ParseException {
    Optional<String> gruu = registration.gruu();
    URI uri = gruu.isPresent() ? addresses.createURI(gruu.get()) : registration.contactUri();
    return headers.createContactHeader(addresses.createAddress(uri));
  }

  /** This device's address of record as a From address. */
  Address self() throws ParseException {
    return addresses.createAddress(
        addresses.createSipURI(registration.user(), registration.domain()));
  }

  /** The local address of the connection to the portal (for a minimal SDP). */
  String localAddress() {
    return registration.localAddress();
  }

  void add(BaseCall call) {
    calls.put(call.callId(), call);
  }

  Optional<BaseCall> call(String callId) {
    return Optional.ofNullable(calls.get(callId));
  }

  void ended(BaseCall call) {
    calls.remove(call.callId(), call);
    try {
      listener.ended(call);
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(PhoneContext.class)
          .warn("the call listener failed on end: {}", e.toString());
    }
  }

  void byeStarted(java.util.concurrent.CompletableFuture<Void> bye) {
    byes.add(bye);
  }

  void byeEnded(java.util.concurrent.CompletableFuture<Void> bye) {
    byes.remove(bye);
  }

  /** Waits up to {@code millis} for the BYEs in flight to be answered. */
  void awaitByes(long millis) {
    long end = System.nanoTime() + millis * 1_000_000L;
    for (java.util.concurrent.CompletableFuture<Void> bye : java.util.List.copyOf(byes)) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        bye.get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        return;
      }
    }
  }

  Iterable<BaseCall> all() {
    return calls.values();
  }
}
