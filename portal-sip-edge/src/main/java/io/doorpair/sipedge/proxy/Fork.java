package io.doorpair.sipedge.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of one forked request (RFC 3261 §16.7), SIP-free: the stack adapter reports what each
 * branch answered and carries out the {@link Step} it gets back. Rules: provisional responses (not
 * 100) go upstream while no final has; the first 2xx goes upstream and every other pending branch
 * is cancelled, later 2xx go upstream too (RFC 3261 §16.7 step 5); a 6xx ends the search (cancel
 * the rest, the 6xx goes upstream); otherwise the best final response goes upstream once every
 * branch has ended ({@link #best}); timer C ends pending branches as {@code 408}; a CANCEL from the
 * caller answers {@code 487} and cancels every pending branch. A CANCEL is only sent on a branch
 * that has had a provisional response (RFC 3261 §9.1): one asked earlier waits for it.
 *
 * <p>Thread-safe: every method is synchronized.
 *
 * @param <R> the adapter's response type, handed back in {@link Step#upstream()}
 */
public final class Fork<R> {
  /** What the adapter does now. */
  public record Step<R>(Optional<Upstream<R>> upstream, List<Integer> cancel) {
    /** Copies the list. */
    public Step {
      Objects.requireNonNull(upstream, "upstream");
      cancel = List.copyOf(cancel);
    }

    static <R> Step<R> none() {
      return new Step<>(Optional.empty(), List.of());
    }
  }

  /**
   * A response to send upstream.
   *
   * @param status the status code to send
   * @param response the branch's response to relay, or empty for a response the proxy makes itself
   *     with {@code status}
   * @param isFinal whether it ends the server transaction (a late 2xx is relayed with {@code
   *     isFinal} true and {@link #afterFinal} true)
   * @param afterFinal whether a final response was already sent (a 2xx after another final must be
   *     relayed statelessly)
   */
  public record Upstream<R>(int status, Optional<R> response, boolean isFinal, boolean afterFinal) {
    /** Checks the components. */
    public Upstream {
      Objects.requireNonNull(response, "response");
    }
  }

  private enum State {
    CALLING,
    PROCEEDING,
    DONE
  }

  private final State[] states;
  private final boolean[] cancelWanted;
  private final boolean[] answered;
  private final int[] finals;
  private final List<R> responses;
  private boolean finalSent;

  /** A fork of {@code branches} branches, all just sent. */
  public Fork(int branches) {
    if (branches < 1) {
      throw new IllegalArgumentException("a fork needs at least one branch");
    }
    states = new State[branches];
    java.util.Arrays.fill(states, State.CALLING);
    cancelWanted = new boolean[branches];
    answered = new boolean[branches];
    finals = new int[branches];
    responses = new ArrayList<>(branches);
    for (int i = 0; i < branches; i++) {
      responses.add(null);
    }
  }

  /** Whether a final response went upstream. */
  public synchronized boolean finalSent() {
    return finalSent;
  }

  /** Branch {@code branch} answered {@code status} (100 to 199) with {@code response}. */
  public synchronized Step<R> provisional(int branch, int status, R response) {
    if (states[branch] == State.DONE) {
      // ended by timer C before it answered: cancel it now that it may be cancelled
      List<Integer> late = cancelWanted[branch] ? List.of(branch) : List.of();
      cancelWanted[branch] = false;
      return new Step<>(Optional.empty(), late);
    }
    states[branch] = State.PROCEEDING;
    List<Integer> cancel = cancelWanted[branch] ? List.of(branch) : List.of();
    cancelWanted[branch] = false;
    if (finalSent || status == 100) {
      return new Step<>(Optional.empty(), cancel);
    }
    return new Step<>(
        Optional.of(new Upstream<>(status, Optional.of(response), false, false)), cancel);
  }

  /**
   * Branch {@code branch} ended with {@code status} (200 to 699): a response it sent, or one the
   * adapter made for it ({@code response} empty: the connection was gone, the transaction timed
   * out).
   */
  public synchronized Step<R> fin(int branch, int status, Optional<R> response) {
    if (status < 200 || status > 699) {
      throw new IllegalArgumentException("not a final status: " + status);
    }
    if (answered[branch]) {
      return Step.none();
    }
    answered[branch] = true;
    cancelWanted[branch] = false;
    if (states[branch] == State.DONE) {
      // ended by timer C; only a 2xx still goes upstream
      if (status >= 300) {
        return Step.none();
      }
      boolean after = finalSent;
      finalSent = true;
      return new Step<>(Optional.of(new Upstream<>(status, response, true, after)), List.of());
    }
    states[branch] = State.DONE;
    finals[branch] = status;
    responses.set(branch, response.orElse(null));
    if (status < 300) {
      boolean after = finalSent;
      finalSent = true;
      return new Step<>(
          Optional.of(new Upstream<>(status, response, true, after)), cancelPending());
    }
    if (finalSent) {
      return Step.none();
    }
    if (status >= 600) {
      finalSent = true;
      return new Step<>(
          Optional.of(new Upstream<>(status, response, true, false)), cancelPending());
    }
    return concludeIfAllDone();
  }

  /** Timer C fired: pending branches end as {@code 408} and are cancelled. */
  public synchronized Step<R> timerC() {
    if (finalSent) {
      return new Step<>(Optional.empty(), cancelPending());
    }
    List<Integer> cancel = cancelPending();
    for (int i = 0; i < states.length; i++) {
      if (states[i] != State.DONE) {
        states[i] = State.DONE;
        finals[i] = 408;
      }
    }
    Step<R> done = concludeIfAllDone();
    return new Step<>(done.upstream(), cancel);
  }

  /** The caller cancelled: {@code 487} upstream (unless a final went already), cancel the rest. */
  public synchronized Step<R> callerCancel() {
    List<Integer> cancel = cancelPending();
    if (finalSent) {
      return new Step<>(Optional.empty(), cancel);
    }
    finalSent = true;
    return new Step<>(Optional.of(new Upstream<>(487, Optional.empty(), true, false)), cancel);
  }

  private List<Integer> cancelPending() {
    List<Integer> now = new ArrayList<>();
    for (int i = 0; i < states.length; i++) {
      if (states[i] == State.PROCEEDING) {
        now.add(i);
      } else if (states[i] == State.CALLING) {
        cancelWanted[i] = true;
      }
    }
    return now;
  }

  private Step<R> concludeIfAllDone() {
    for (State s : states) {
      if (s != State.DONE) {
        return Step.none();
      }
    }
    finalSent = true;
    int chosen = best(finals);
    int status = finals[chosen];
    Optional<R> response = Optional.ofNullable(responses.get(chosen));
    if (status == 503) {
      // RFC 3261 §16.7 step 6: a 503 is not relayed, the proxy answers 500
      return new Step<>(Optional.of(new Upstream<>(500, Optional.empty(), true, false)), List.of());
    }
    return new Step<>(Optional.of(new Upstream<>(status, response, true, false)), List.of());
  }

  /**
   * The best of the branches' final responses (RFC 3261 §16.7 step 6): a 6xx first; otherwise the
   * lowest class; within a class a specific answer (e.g. {@code 486 Busy Here}) before a generic
   * failure to reach the device ({@code 408}, {@code 480}, {@code 487}, {@code 500}, {@code 503});
   * ties go to the earliest branch.
   *
   * @return the index into {@code statuses}
   */
  public static int best(int[] statuses) {
    if (statuses.length == 0) {
      throw new IllegalArgumentException("no responses");
    }
    int chosen = 0;
    for (int i = 1; i < statuses.length; i++) {
      if (rank(statuses[i]) < rank(statuses[chosen])) {
        chosen = i;
      }
    }
    return chosen;
  }

  private static int rank(int status) {
    int cls = status / 100;
    int order = cls == 6 ? 0 : cls;
    boolean generic =
        status == 408 || status == 480 || status == 487 || status == 500 || status == 503;
    return order * 2 + (generic ? 1 : 0);
  }
}
