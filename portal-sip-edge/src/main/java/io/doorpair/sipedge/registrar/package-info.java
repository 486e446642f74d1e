/**
 * The registrar (DESIGN §7): bindings keyed by device instance, each bound to the connection (flow)
 * its REGISTER arrived on, with expiry and GRUUs. SIP-free: the stack adapter hands in {@link
 * io.doorpair.sipedge.registrar.RegisterRequest} and renders the outcome.
 */
package io.doorpair.sipedge.registrar;
