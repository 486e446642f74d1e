package io.doorpair.sipedge.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.sipedge.proxy.FlowTokens.FlowPair;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class FlowTokensTest {
  private static final String CALLER = "tls:127.0.0.1:40001";
  private static final String CALLEE = "tls:127.0.0.1:40002";
  private final FlowTokens tokens = new FlowTokens(new SecureRandom());

  @Test
  void token_names_both_flows_and_routes_each_to_the_other() {
    String token = tokens.mint("call-1", CALLER, CALLEE);
    FlowPair pair = tokens.open(token, "call-1").orElseThrow();
    assertThat(pair.other(CALLER)).contains(CALLEE);
    assertThat(pair.other(CALLEE)).contains(CALLER);
    assertThat(pair.other("tls:127.0.0.1:40003")).isEmpty();
  }

  @Test
  void path_token_names_one_flow_and_never_passes_for_a_dialog_token_or_the_reverse() {
    String path = tokens.mintPath(CALLEE);
    assertThat(path).matches("[A-Za-z0-9_.-]+");
    assertThat(tokens.openPath(path)).contains(CALLEE);
    assertThat(tokens.open(path, "")).as("a Path token as a dialog token").isEmpty();
    String dialog = tokens.mint("call-1", CALLER, CALLEE);
    assertThat(tokens.openPath(dialog)).as("a dialog token as a Path token").isEmpty();
    assertThat(new FlowTokens(new SecureRandom()).openPath(path)).as("another node").isEmpty();
    for (int i = 0; i < path.length(); i++) {
      char[] c = path.toCharArray();
      c[i] = c[i] == 'A' ? 'B' : 'A';
      assertThat(tokens.openPath(new String(c))).as("position " + i).isEmpty();
    }
  }

  @Test
  void token_is_a_valid_sip_user_part() {
    assertThat(tokens.mint("c", "tls:::1:5061", CALLEE)).matches("[A-Za-z0-9_.-]+");
  }

  @Test
  void altered_token_is_refused() {
    String token = tokens.mint("call-1", CALLER, CALLEE);
    for (int i = 0; i < token.length(); i++) {
      char[] c = token.toCharArray();
      c[i] = c[i] == 'A' ? 'B' : 'A';
      assertThat(tokens.open(new String(c), "call-1")).as("position " + i).isEmpty();
    }
  }

  @Test
  void look_alike_spelling_of_a_valid_token_is_refused() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int n = 0; n < 50; n++) {
      String token = tokens.mint("call-" + n, CALLER, CALLEE);
      int last = token.length() - 1;
      // the lowest bit of the last base64url character is never a data bit here: the decoded
      // bytes stay the same, the spelling does not
      int value = alphabet.indexOf(token.charAt(last));
      String lookAlike = token.substring(0, last) + alphabet.charAt(value ^ 1);
      assertThat(tokens.open(token, "call-" + n)).isPresent();
      assertThat(tokens.open(lookAlike, "call-" + n)).as(lookAlike).isEmpty();
    }
  }

  @Test
  void token_of_another_dialog_or_another_process_is_refused() {
    String token = tokens.mint("call-1", CALLER, CALLEE);
    assertThat(tokens.open(token, "call-2")).isEmpty();
    assertThat(new FlowTokens(new SecureRandom()).open(token, "call-1")).isEmpty();
  }

  @Test
  void garbage_is_refused() {
    for (String bad :
        new String[] {"", ".", "abc", "a.b.c", "!!.!!", "x".repeat(600), "dGxz.AAAA"}) {
      assertThat(tokens.open(bad, "call-1")).as(bad).isEmpty();
    }
    assertThat(tokens.open(null, "call-1")).isEmpty();
  }

  @Test
  void key_is_not_shown() {
    assertThat(tokens.toString()).contains("redacted");
  }
}
