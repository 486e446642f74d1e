package io.doorpair.b2b.stack;

import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;

/** One call the bridge holds between a door station and a phone, in either direction. */
interface BridgedCall {
  /** A response to one of this call's client transactions. */
  void response(ResponseEvent event, ClientTransaction transaction);

  /** A client transaction of this call timed out. */
  void timeout(ClientTransaction transaction);

  /** A request inside one of this call's dialogs (BYE, INFO, ...; ACK has no transaction). */
  void inDialog(RequestEvent event, ServerTransaction transaction, boolean portalLeg);

  /**
   * The stack gave up on one of this call's dialogs (a 2xx we sent never ACKed, an early dialog
   * that lasted too long): both legs are hung up.
   */
  void dialogTimeout(javax.sip.Dialog dialog);

  /** The ACK of a 2xx this call sent arrived on {@code dialog}. */
  void acked(javax.sip.Dialog dialog);

  /** A CANCEL of this call's initial INVITE (already answered 200). */
  void cancelled();

  /** The door station's user (for the journal). */
  String door();

  /** Whether the call is over. */
  boolean ended();
}
