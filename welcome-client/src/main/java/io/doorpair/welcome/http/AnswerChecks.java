package io.doorpair.welcome.http;

import io.doorpair.welcome.api.AccessStatus;
import io.doorpair.welcome.api.ChannelEntry;
import io.doorpair.welcome.api.ChannelPage;

/**
 * Consistency checks on access-flow answers, beyond what the wire records check on their own: an
 * answer about another gateway or request, or a channel page that would move a gateway's persisted
 * cursor backwards or skip items, is {@link PortalException#BAD_RESPONSE}.
 */
final class AnswerChecks {
  private AnswerChecks() {}

  /** A status object answering a question about {@code domain}. */
  static AccessStatus forDomain(int status, String domain, AccessStatus answer) {
    if (!answer.domain().equals(domain)) {
      throw new PortalException(
          status, PortalException.BAD_RESPONSE, "the answer is about another gateway");
    }
    return answer;
  }

  /** A status object answering a decision on {@code requestId}. */
  static AccessStatus forRequest(int status, long requestId, AccessStatus answer) {
    if (answer.requestId() != requestId) {
      throw new PortalException(
          status, PortalException.BAD_RESPONSE, "the answer is about another request");
    }
    return answer;
  }

  /**
   * A channel page read after {@code cursor}: items in increasing seq order, all after the cursor,
   * and a next cursor not before the last of them.
   */
  static ChannelPage channel(int status, long cursor, ChannelPage page) {
    long last = cursor;
    for (ChannelEntry item : page.items()) {
      if (item.seq() <= last) {
        throw new PortalException(
            status,
            PortalException.BAD_RESPONSE,
            "channel items out of order: seq " + item.seq() + " after " + last);
      }
      last = item.seq();
    }
    if (page.cursor() < last) {
      throw new PortalException(
          status,
          PortalException.BAD_RESPONSE,
          "channel cursor " + page.cursor() + " is before seq " + last);
    }
    return page;
  }
}
