package io.doorpair.welcome.sip;

import javax.sip.ResponseEvent;

/** Who takes the responses of one client transaction (its application data). */
interface ResponseHandler {
  /**
   * A response, provisional or final.
   *
   * @param event the response event
   */
  void onResponse(ResponseEvent event);

  /** The transaction timed out. */
  void onTimeout();
}
