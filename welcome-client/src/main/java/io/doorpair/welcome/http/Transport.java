package io.doorpair.welcome.http;

import io.doorpair.welcome.api.ApiError;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * Runs one HTTP exchange for {@link PortalClient}: on OkHttp's dispatcher, while the calling thread
 * waits interruptibly (an interrupt cancels the call); the body read up to {@link
 * PortalClient#MAX_BODY_BYTES}; a status of 400 or more turned into a {@link PortalException} with
 * the portal's error code.
 */
final class Transport {
  /** Concurrent calls per portal: long-polls hold one each, and must not starve the others. */
  static final int MAX_CALLS = 64;

  private static final Pattern ERROR_CODE = Pattern.compile("[a-z0-9_]{1,64}");
  private static final int MAX_MESSAGE = 500;

  private Transport() {}

  /**
   * A dispatcher on daemon threads (a program that is done with the portal exits at once), allowing
   * {@link #MAX_CALLS} calls to the portal at the same time.
   */
  static Dispatcher newDispatcher() {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "doorpair-portal-client-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    Dispatcher dispatcher = new Dispatcher(executor);
    dispatcher.setMaxRequests(MAX_CALLS);
    dispatcher.setMaxRequestsPerHost(MAX_CALLS);
    return dispatcher;
  }

  /**
   * Runs the request and waits for its answer.
   *
   * @return the answer of a status below 400
   * @throws PortalException the portal's error ({@code status >= 400}), {@link
   *     PortalException#CANCELLED} when the calling thread is interrupted (the interrupt flag stays
   *     set), {@link PortalException#TIMEOUT}, {@link PortalException#IO}, {@link
   *     PortalException#BAD_RESPONSE}
   */
  static Answer call(OkHttpClient client, Request request) {
    if (Thread.currentThread().isInterrupted()) {
      throw cancelled();
    }
    Call call = client.newCall(request);
    CompletableFuture<Answer> result = new CompletableFuture<>();
    call.enqueue(
        new Callback() {
          @Override
          public void onFailure(Call c, IOException e) {
            result.completeExceptionally(e);
          }

          @Override
          public void onResponse(Call c, Response response) {
            try (response) {
              byte[] body = readLimited(response);
              if (response.code() >= 400) {
                result.completeExceptionally(errorOf(response.code(), body));
              } else {
                result.complete(new Answer(response.code(), body, response.handshake()));
              }
            } catch (IOException | RuntimeException e) {
              result.completeExceptionally(e);
            }
          }
        });
    try {
      return result.get();
    } catch (InterruptedException e) {
      call.cancel();
      Thread.currentThread().interrupt();
      throw cancelled();
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    }
  }

  private static PortalException failure(Throwable cause) {
    if (cause instanceof PortalException) {
      // Rethrown on the calling thread, with its stack.
      PortalException p = (PortalException) cause;
      return new PortalException(p.status(), p.code(), p.getMessage(), p);
    }
    if (cause instanceof InterruptedIOException) {
      // OkHttp's call timeout, or a read or connect timeout.
      return new PortalException(0, PortalException.TIMEOUT, describe((IOException) cause), cause);
    }
    if (cause instanceof IOException) {
      return new PortalException(0, PortalException.IO, describe((IOException) cause), cause);
    }
    return new PortalException(
        0, PortalException.BAD_RESPONSE, "unexpected failure: " + cause, cause);
  }

  private static PortalException cancelled() {
    return new PortalException(
        0, PortalException.CANCELLED, "the calling thread was interrupted: call cancelled");
  }

  private static byte[] readLimited(Response response) throws IOException {
    ResponseBody body = response.body();
    if (body == null) {
      return new byte[0];
    }
    if (body.contentLength() > PortalClient.MAX_BODY_BYTES) {
      throw tooLarge(response.code());
    }
    BufferedSource source = body.source();
    if (source.request(PortalClient.MAX_BODY_BYTES + 1)) {
      throw tooLarge(response.code());
    }
    return source.getBuffer().readByteArray();
  }

  private static PortalException tooLarge(int status) {
    return new PortalException(
        status, PortalException.BAD_RESPONSE, "response body larger than 1 MiB");
  }

  private static PortalException errorOf(int status, byte[] body) {
    try {
      ApiError error = WireJson.MAPPER.readValue(body, ApiError.class);
      if (error != null && error.error() != null && ERROR_CODE.matcher(error.error()).matches()) {
        String message = error.message() == null ? "HTTP " + status : printable(error.message());
        return new PortalException(status, error.error(), message);
      }
    } catch (IOException | RuntimeException notAnApiError) {
      // fall through to the generic code
    }
    return new PortalException(status, "http_" + status, "HTTP " + status);
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + printable(message));
  }

  /** At most 500 characters, control characters replaced: messages end up in logs. */
  static String printable(String s) {
    String cut = s.length() > MAX_MESSAGE ? s.substring(0, MAX_MESSAGE) : s;
    StringBuilder sb = new StringBuilder(cut.length());
    cut.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return sb.toString();
  }
}
