package dev.junction.app;

import dev.junction.app.SimulatedProvider.Mood;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The story the demo tells, one agent turn per step: Claude has an off day (529s, then tool calls
 * that break the tool's schema), its breaker opens, GPT takes over (and Qwen, while GPT is rate
 * limited), and Claude comes back through a half-open probe once the breaker lets one through.
 */
final class DemoScenario {
  private DemoScenario() {
  }

  /**
   * @param waitForProbe wait until Claude's breaker would let a probe through before this turn
   */
  record Step(String title, String question, Mood claude, Mood gpt, Mood qwen, boolean waitForProbe) {
  }

  /** The demo's route file: everything tries Claude, then GPT, then Qwen; Claude's breaker is quick. */
  static final String ROUTES = """
      # Written by `junction demo`. Claude's breaker is tuned so the story fits in seconds:
      # 50% failures over 4 calls open it, for 3 seconds; one good probe closes it again.
      targets:
        claude: { provider: anthropic, model: claude-sonnet-4-6,
                  breaker: { window: 4, min_calls: 4, failure_rate: 50, open_for: 3s, half_open_probes: 1 } }
        gpt:    { provider: openai, model: gpt-5.4 }
        qwen:   { provider: local-qwen, model: qwen3-32b }
      routes:
        - name: demo
          when: { model: "claude-*" }
          try: [claude, gpt, qwen]
          timeouts: { first_token: 10s, attempt: 30s, total: 60s }
        - name: any-model
          priority: -100
          try: [requested, claude, gpt, qwen]
      """;

  static final List<Step> STEPS = List.of(
      new Step("Claude is healthy", "Where is order 1234?", Mood.HEALTHY, Mood.HEALTHY, Mood.HEALTHY, false),
      new Step("Claude is overloaded: its API answers 529", "When will it arrive?", Mood.OVERLOADED, Mood.HEALTHY,
          Mood.HEALTHY, false),
      new Step("Claude emits a tool call that breaks lookup_order's input_schema", "Can you look up order 1234 again?",
          Mood.MALFORMED_TOOL_CALLS, Mood.HEALTHY, Mood.HEALTHY, false),
      new Step("Claude does it again", "And order 5678?", Mood.MALFORMED_TOOL_CALLS, Mood.HEALTHY, Mood.HEALTHY, false),
      new Step("Claude's breaker is open, and GPT is rate limited (429, retry-after 2 s)", "Summarise both orders.",
          Mood.MALFORMED_TOOL_CALLS, Mood.RATE_LIMITED, Mood.HEALTHY, false),
      new Step("Claude has recovered; its breaker lets one probe through", "Thanks. Anything else I should know?",
          Mood.HEALTHY, Mood.HEALTHY, Mood.HEALTHY, true));

  /** The agent: a Claude model and one custom tool whose schema the broken calls violate. */
  static JsonObject agent() {
    JsonObject schema = new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("order_id", new JsonObject().put("type", "string")))
        .put("required", new JsonArray().add("order_id"));
    return new JsonObject().put("name", "Order helper").put("model", "claude-sonnet-4-6")
        .put("system", "You help customers with their orders. Be brief.")
        .put("tools", new JsonArray().add(new JsonObject().put("type", "custom").put("name", "lookup_order")
            .put("description", "Look up an order by its id").put("input_schema", schema)));
  }
}
