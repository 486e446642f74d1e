/**
 * The durable event outbox (DESIGN §8): events queued in the same transaction as the change they
 * report, sent to the portal in order in batches with their ids, kept while the portal is
 * unreachable, removed only once the portal acknowledged them.
 */
package io.doorpair.ipgw.outbox;
