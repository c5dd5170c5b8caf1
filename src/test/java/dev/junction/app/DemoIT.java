package dev.junction.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code junction demo --once} tells the whole story: a 529 failover, the breaker opening, GPT serving, Claude recovering. */
class DemoIT {

  @Test
  void shouldPrintATimelineOfFailoverBreakerOpeningAndRecovery() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(new String[] {"demo", "--once", "--port", "0"}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, text + err.toString(StandardCharsets.UTF_8));
    List<String> turns = turns(text);
    assertEquals(6, turns.size(), text);

    assertTrue(turns.get(0).contains("answered by claude"), turns.get(0));
    assertTrue(attempt(turns.get(1), "claude", "anthropic/claude-sonnet-4-6", "failed overloaded \\(529\\)"), turns.get(1));
    assertTrue(turns.get(1).contains("answered by gpt"), turns.get(1));
    assertTrue(attempt(turns.get(2), "claude", "anthropic/claude-sonnet-4-6", "failed malformed"), turns.get(2));
    assertTrue(turns.get(2).contains("answered by gpt"), turns.get(2));
    assertTrue(turns.get(3).contains("breaker anthropic/claude-sonnet-4-6: closed -> open (last failure: malformed"),
        turns.get(3));
    assertTrue(turns.get(4).contains("skipped claude") && !attempt(turns.get(4), "claude", "anthropic/claude-sonnet-4-6", ".*"),
        "an open breaker keeps the call away from Claude: " + turns.get(4));
    assertTrue(attempt(turns.get(4), "gpt", "openai/gpt-5.4", "failed rate_limited \\(429\\)"), turns.get(4));
    assertTrue(turns.get(4).contains("answered by qwen"), turns.get(4));
    String last = turns.get(5);
    assertTrue(last.contains("open -> half_open") && last.contains("half_open -> closed"), last);
    assertTrue(attempt(last, "claude", "anthropic/claude-sonnet-4-6", "succeeded") && last.contains("answered by claude"), last);
    assertTrue(text.contains("Claude 5, GPT 4, Qwen 1"), "every upstream call is accounted for: " + text);
    assertTrue(text.matches("(?s).*cost by target: anthropic/claude-sonnet-4-6 \\$0\\.\\d+, openai/gpt-5\\.4 \\$0\\.\\d+.*"),
        text);
  }

  /** Whether a turn lists an attempt line: target, provider/model, outcome, latency. */
  private static boolean attempt(String turn, String target, String id, String outcome) {
    return turn.lines().anyMatch(l -> l.matches("\\s+" + target + "\\s+" + java.util.regex.Pattern.quote(id) + "\\s+" + outcome
        + "\\s+[0-9.]+ ms"));
  }

  /** The timeline split at each "turn N:" line, each piece running to the next. */
  private static List<String> turns(String text) {
    List<String> out = new ArrayList<>();
    String[] pieces = text.split("(?m)^\\[\\+ *[0-9.]+s\\] turn \\d+: ");
    for (int i = 1; i < pieces.length; i++) {
      out.add(pieces[i]);
    }
    return out;
  }
}
