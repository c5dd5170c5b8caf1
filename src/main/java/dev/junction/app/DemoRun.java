package dev.junction.app;

import dev.junction.app.DemoScenario.Step;
import dev.junction.routing.BreakerTransition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;

/**
 * Plays {@link DemoScenario#STEPS} through the gateway's MA API and prints the timeline: per turn,
 * what routing did (from {@code span.model_request_end.routing}), the breaker transitions the
 * registry reported meanwhile, and what the call cost (from the gateway's own cost counter).
 */
final class DemoRun {
  private static final Duration TURN_LIMIT = Duration.ofSeconds(60);

  private final DemoClient client;
  private final String adminKey;
  private final Map<String, SimulatedProvider> providers;
  private final Queue<BreakerTransition> transitions;
  private final PrintStream out;
  private final long t0 = System.nanoTime();
  private final Instant started = Instant.now();

  DemoRun(DemoClient client, String adminKey, Map<String, SimulatedProvider> providers,
      Queue<BreakerTransition> transitions, PrintStream out) {
    this.client = client;
    this.adminKey = adminKey;
    this.providers = providers;
    this.transitions = transitions;
    this.out = out;
  }

  void play() throws InterruptedException {
    String agent = client.post("/v1/agents", DemoScenario.agent()).getString("id");
    String environment = client.post("/v1/environments", new JsonObject().put("name", "demo")).getString("id");
    String session = client.post("/v1/sessions", new JsonObject().put("agent", agent).put("environment_id", environment))
        .getString("id");
    client.follow(session);
    out.printf("Timeline of session %s (agent model claude-sonnet-4-6, tool lookup_order)%n", session);
    Map<String, BigDecimal> costBefore = costs();
    int turn = 0;
    for (Step step : DemoScenario.STEPS) {
      turn++;
      if (step.waitForProbe()) {
        waitForProbe();
      }
      providers.get("claude").mood(step.claude());
      providers.get("gpt").mood(step.gpt());
      providers.get("qwen").mood(step.qwen());
      out.println();
      out.printf("%s turn %d: %s%n", stamp(), turn, step.title());
      out.printf("           user: %s%n", step.question());
      client.post("/v1/sessions/" + session + "/events", DemoClient.userMessage(step.question()));
      turn(costBefore);
      costBefore = costs();
    }
    out.println();
    summary(session);
  }

  /** Reads the turn's events up to idle, printing each model call's routing, answer and cost. */
  private void turn(Map<String, BigDecimal> costBefore) {
    String answer = null;
    while (true) {
      JsonObject e = client.next(TURN_LIMIT);
      switch (e.getString("type")) {
        case "span.model_request_end" -> {
          routing(e);
          // the message precedes its span's end in the log; it reads better after the routing
          if (answer != null) {
            out.printf("           answer: %s%n", answer);
            answer = null;
          }
        }
        case "agent.message" -> answer = text(e);
        case "session.error" -> out.printf("           session.error %s (%s)%n", e.getJsonObject("error").getString("type"),
            e.getJsonObject("error").getJsonObject("retry_status").getString("type"));
        case "session.status_idle" -> {
          printTransitions();
          cost(costBefore);
          return;
        }
        default -> {
          // user, span start, usage and status events add nothing to the timeline
        }
      }
    }
  }

  private void routing(JsonObject end) {
    JsonObject r = end.getJsonObject("routing");
    if (r == null) {
      return;
    }
    StringBuilder line = new StringBuilder("           route ").append(r.getString("route")).append(" (")
        .append(r.getString("strategy")).append(")");
    JsonArray skipped = r.getJsonArray("skipped");
    if (skipped != null && !skipped.isEmpty()) {
      line.append(", skipped ").append(String.join(", ", skipped.stream().map(String::valueOf).toList()))
          .append(" (breaker open or cooling down)");
    }
    out.println(line);
    for (Object o : r.getJsonArray("attempts")) {
      JsonObject a = (JsonObject) o;
      String outcome = a.getString("failure_class") == null ? a.getString("result")
          : "failed " + a.getString("failure_class") + (a.containsKey("status") ? " (" + a.getInteger("status") + ")" : "");
      out.printf("             %-7s %-28s %-26s %7.1f ms%n", a.getString("target"),
          a.getString("provider") + "/" + a.getString("model"), outcome, a.getDouble("latency_ms"));
    }
    if (r.getString("target") != null) {
      out.printf("           answered by %s (%s/%s), %d tokens in, %d out%n", r.getString("target"),
          r.getString("provider"), r.getString("model"), end.getJsonObject("model_usage").getInteger("input_tokens"),
          end.getJsonObject("model_usage").getInteger("output_tokens"));
    } else {
      out.println("           no target answered");
    }
  }

  private void cost(Map<String, BigDecimal> before) {
    Map<String, BigDecimal> after = costs();
    StringBuilder line = new StringBuilder();
    for (Map.Entry<String, BigDecimal> e : after.entrySet()) {
      BigDecimal delta = e.getValue().subtract(before.getOrDefault(e.getKey(), BigDecimal.ZERO));
      if (delta.signum() > 0) {
        line.append(line.isEmpty() ? "" : ", ").append(e.getKey()).append(" $").append(delta.toPlainString());
      }
    }
    out.printf("           cost: %s%n", line.isEmpty() ? "$0 (the local model is free)" : line);
  }

  private void printTransitions() {
    BreakerTransition t;
    while ((t = transitions.poll()) != null) {
      out.printf("%s   breaker %s: %s -> %s%s%n", stamp(t.at()), t.target(), t.from().jsonName(), t.to().jsonName(),
          explain(t));
    }
  }

  private static String explain(BreakerTransition t) {
    return switch (t.to()) {
      case OPEN -> t.lastFailure() == null ? "" : " (last failure: " + t.lastFailure().name().toLowerCase(Locale.ROOT)
          + "; calls now skip it)";
      case HALF_OPEN -> " (open_for elapsed: one probe call may try it)";
      case CLOSED -> " (the probe succeeded: recovered)";
      case FORCED_OPEN, FORCED_CLOSED -> " (operator override)";
    };
  }

  /** Waits, in real time, until Claude's breaker would let a probe through. */
  private void waitForProbe() throws InterruptedException {
    JsonObject claude = target("anthropic/claude-sonnet-4-6");
    String openUntil = claude == null ? null : claude.getString("open_until");
    if (openUntil == null) {
      return;
    }
    Duration wait = Duration.between(Instant.now(), Instant.parse(openUntil)).plusMillis(50);
    out.println();
    out.printf("%s waiting %.1f s: Claude's breaker is open until %s%n", stamp(), Math.max(0, wait.toMillis()) / 1000.0,
        openUntil);
    if (!wait.isNegative()) {
      Thread.sleep(wait.toMillis());
    }
  }

  private JsonObject target(String id) {
    for (Object o : client.get("/admin/targets", adminKey).getJsonArray("targets")) {
      JsonObject t = (JsonObject) o;
      if (id.equals(t.getString("target"))) {
        return t;
      }
    }
    return null;
  }

  private void summary(String session) {
    out.println("Summary");
    JsonObject usage = client.get("/v1/sessions/" + session).getJsonObject("usage");
    out.printf("  session usage: %d tokens in, %d out%n", usage.getLong("input_tokens"), usage.getLong("output_tokens"));
    out.printf("  upstream calls: Claude %d, GPT %d, Qwen %d%n", providers.get("claude").calls(),
        providers.get("gpt").calls(), providers.get("qwen").calls());
    BigDecimal total = BigDecimal.ZERO;
    StringBuilder line = new StringBuilder();
    for (Map.Entry<String, BigDecimal> e : costs().entrySet()) {
      total = total.add(e.getValue());
      line.append(line.isEmpty() ? "" : ", ").append(e.getKey()).append(" $").append(e.getValue().toPlainString());
    }
    out.printf("  cost by target: %s (total $%s)%n", line.isEmpty() ? "none" : line, total.toPlainString());
    for (Object o : client.get("/admin/targets", adminKey).getJsonArray("targets")) {
      JsonObject t = (JsonObject) o;
      out.printf("  %-30s %-9s success rate %s%n", t.getString("target"), t.getString("state"),
          t.getJsonObject("stats").getValue("success_rate"));
    }
  }

  /** {@code junction_cost_usd_total} summed per target, from the gateway's own exposition. */
  private Map<String, BigDecimal> costs() {
    Map<String, BigDecimal> out = new TreeMap<>();
    for (String line : client.getText("/metrics").split("\n")) {
      if (!line.startsWith("junction_cost_usd_total{")) {
        continue;
      }
      int t = line.indexOf("target=\"");
      String target = line.substring(t + 8, line.indexOf('"', t + 8));
      BigDecimal value = new BigDecimal(line.substring(line.lastIndexOf(' ') + 1)).setScale(6, java.math.RoundingMode.HALF_UP)
          .stripTrailingZeros();
      out.merge(target, value, BigDecimal::add);
    }
    return out;
  }

  private String stamp() {
    return String.format(Locale.ROOT, "[+%5.2fs]", (System.nanoTime() - t0) / 1e9);
  }

  /** An instant of the gateway's clock (the system clock here) on the timeline's scale. */
  private String stamp(Instant at) {
    return String.format(Locale.ROOT, "[+%5.2fs]", Duration.between(started, at).toNanos() / 1e9);
  }

  private static String text(JsonObject message) {
    StringBuilder sb = new StringBuilder();
    for (Object o : message.getJsonArray("content", new JsonArray())) {
      sb.append(((JsonObject) o).getString("text", ""));
    }
    return sb.toString();
  }
}
