package io.doorpair.b2b.journal;

/**
 * Where the b2b hands its call records. The implementation must keep a record durably before {@link
 * #record} returns (the b2b may be killed right after), and must never block a SIP thread for long.
 */
@FunctionalInterface
public interface CallJournal {
  /**
   * Keeps one record.
   *
   * @param record what happened
   */
  void record(CallRecord record);
}
