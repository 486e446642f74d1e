package io.doorpair.welcome.sip;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sip.ResponseEvent;
import javax.sip.message.Response;

/**
 * A request the phone sent and whose final response someone waits for: set as the client
 * transaction's application data, completed by the listener.
 */
final class Exchange implements ResponseHandler {
  private final CompletableFuture<Response> done = new CompletableFuture<>();

  @Override
  public void onResponse(ResponseEvent event) {
    if (event.getResponse().getStatusCode() >= 200) {
      done.complete(event.getResponse());
    }
  }

  @Override
  public void onTimeout() {
    done.completeExceptionally(new TimeoutException("no final response"));
  }

  /**
   * The final response.
   *
   * @param wait how long at most
   * @param what the request, for the error message
   * @return the final response
   * @throws SipPhoneException {@code timeout}
   * @throws InterruptedException when interrupted
   */
  Response await(Duration wait, String what) throws SipPhoneException, InterruptedException {
    try {
      return done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new SipPhoneException("timeout", 0, what + ": no final response");
    }
  }
}
