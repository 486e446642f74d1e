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
