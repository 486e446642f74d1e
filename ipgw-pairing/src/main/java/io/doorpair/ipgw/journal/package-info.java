/**
 * The intake of the b2b's call journal: spool files ({@code io.doorpair.b2b.journal.SpoolJournal})
 * moved into the outbox as {@code journal} events, once each, across crashes.
 */
package io.doorpair.ipgw.journal;
