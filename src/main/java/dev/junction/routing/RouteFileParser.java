package dev.junction.routing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one route file's tree into targets and routes, collecting every problem instead of
 * stopping at the first, so {@code junction check} shows them all at once. Cross-file checks
 * (unknown target, unknown provider) are {@link YamlRouteTable}'s.
 */
final class RouteFileParser {
  private static final Pattern DURATION = Pattern.compile("^(\\d+)(ms|s|m|h)$");
  private static final Set<String> TOP = Set.of("targets", "routes", "native");
  private static final Set<String> TARGET_KEYS = Set.of("provider", "model", "api", "optional", "breaker");
  private static final Set<String> ROUTE_KEYS = Set.of("name", "priority", "when", "try", "strategy", "weights",
      "expected_output_tokens", "timeouts", "hedge", "last_resort");
  private static final Set<String> WHEN_KEYS = Set.of("task", "model", "agent_id", "agent_name", "agent_metadata",
      "session_metadata", "tenant", "tools", "input_tokens", "thinking", "hint");
  private static final Set<String> BREAKER_KEYS = Set.of("window", "min_calls", "failure_rate", "slow_call_rate",
      "slow_call", "open_for", "half_open_probes", "quota_cooldown", "rate_limit_cooldown");
  private static final Set<String> APIS = Set.of("messages", "chat", "responses");

  /** A named target as written, before provider checks. */
  record TargetEntry(Target target, boolean optional, BreakerSettings breaker) {
  }

  final String file;
  final List<String> problems;
  final Map<String, TargetEntry> targets = new LinkedHashMap<>();
  final List<Route> routes = new ArrayList<>();
  final Map<String, String> natives = new LinkedHashMap<>();

  RouteFileParser(String file, List<String> problems) {
    this.file = file;
    this.problems = problems;
  }

  void parse(JsonNode root) {
    if (root == null || root.isNull() || root.isMissingNode()) {
      return; // an empty file is a table with nothing in it
    }
    if (!root.isObject()) {
      problem(null, null, "the file must be a map with 'targets:' and 'routes:'");
      return;
    }
    unknownKeys(root, TOP, null, "");
    JsonNode targetsNode = root.get("targets");
    if (targetsNode != null && !targetsNode.isNull()) {
      if (!targetsNode.isObject()) {
        problem(null, "targets", "must be a map of target name to { provider, model }");
      } else {
        targetsNode.fields().forEachRemaining(e -> target(e.getKey(), e.getValue()));
      }
    }
    JsonNode nativeNode = root.get("native");
    if (nativeNode != null && !nativeNode.isNull()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = nativeNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!Set.of("anthropic", "openai", "local").contains(e.getKey())) {
          problem(null, "native." + e.getKey(), "unknown model family; use anthropic, openai or local");
        } else if (!e.getValue().isTextual()) {
          problem(null, "native." + e.getKey(), "must be a provider name");
        } else {
          natives.put(e.getKey(), e.getValue().asText());
        }
      }
    }
    JsonNode routesNode = root.get("routes");
    if (routesNode != null && !routesNode.isNull()) {
      if (!routesNode.isArray()) {
        problem(null, "routes", "must be a list of routes, each starting with '- name:'");
      } else {
        for (int i = 0; i < routesNode.size(); i++) {
          route(i, routesNode.get(i));
        }
      }
    }
  }

  private void target(String name, JsonNode node) {
    String where = "target '" + name + "'";
    if (Route.REQUESTED.equals(name)) {
      problem(where, null, "'requested' is reserved for the caller's model; rename the target");
      return;
    }
    if (!node.isObject()) {
      problem(where, null, "must be a map like { provider: anthropic, model: claude-sonnet-4-6 }");
      return;
    }
    unknownKeys(node, TARGET_KEYS, where, "");
    String provider = text(node, "provider", where);
    String model = text(node, "model", where);
    String api = node.hasNonNull("api") ? node.get("api").asText() : null;
    if (api != null && !APIS.contains(api)) {
      problem(where, "api", "unknown api '" + api + "'; use messages, chat or responses");
    }
    boolean optional = node.path("optional").asBoolean(false);
    BreakerSettings breaker = breaker(node.get("breaker"), where);
    if (provider == null || model == null) {
      return;
    }
    targets.put(name, new TargetEntry(new Target(name, provider, model, api), optional, breaker));
  }

  private BreakerSettings breaker(JsonNode node, String where) {
    BreakerSettings d = BreakerSettings.DEFAULTS;
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      problem(where, "breaker", "must be a map, e.g. { window: 20, failure_rate: 50, open_for: 30s }");
      return null;
    }
    unknownKeys(node, BREAKER_KEYS, where, "breaker.");
    return new BreakerSettings(
        positiveInt(node, "window", d.window(), where, "breaker."),
        positiveInt(node, "min_calls", d.minCalls(), where, "breaker."),
        percent(node, "failure_rate", d.failureRatePercent(), where),
        percent(node, "slow_call_rate", d.slowCallRatePercent(), where),
        duration(node.get("slow_call"), d.slowCall(), where, "breaker.slow_call"),
        duration(node.get("open_for"), d.openFor(), where, "breaker.open_for"),
        positiveInt(node, "half_open_probes", d.halfOpenProbes(), where, "breaker."),
        duration(node.get("quota_cooldown"), d.quotaCooldown(), where, "breaker.quota_cooldown"),
        duration(node.get("rate_limit_cooldown"), d.rateLimitCooldown(), where, "breaker.rate_limit_cooldown"));
  }

  private void route(int index, JsonNode node) {
    String where = "route #" + (index + 1);
    if (!node.isObject()) {
      problem(where, null, "must be a map with name, when and try");
      return;
    }
    String name = node.hasNonNull("name") ? node.get("name").asText() : null;
    if (name == null || name.isBlank()) {
      problem(where, "name", "is missing; give every route a name, used in spans, metrics and messages");
      name = "#" + (index + 1);
    } else {
      where = "route '" + name + "'";
    }
    unknownKeys(node, ROUTE_KEYS, where, "");
    Match when = when(node.get("when"), where);
    List<String> tryList = strings(node.get("try"), where, "try");
    if (tryList.isEmpty()) {
      problem(where, "try", "lists no target; name at least one target or 'requested'");
    }
    Strategy strategy = Strategy.ORDERED;
    if (node.hasNonNull("strategy")) {
      strategy = Strategy.fromConfig(node.get("strategy").asText());
      if (strategy == null) {
        problem(where, "strategy", "unknown strategy '" + node.get("strategy").asText()
            + "'; use ordered, weighted, fastest or cheapest");
      }
    }
    Map<String, Integer> weights = new LinkedHashMap<>();
    JsonNode weightsNode = node.get("weights");
    if (weightsNode != null && !weightsNode.isNull()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = weightsNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
          problem(where, "weights." + e.getKey(), "must be a whole number of 0 or more");
        } else if (!tryList.contains(e.getKey())) {
          problem(where, "weights." + e.getKey(), "names a target that is not in this route's 'try' list");
        } else {
          weights.put(e.getKey(), e.getValue().asInt());
        }
      }
    }
    LastResort lastResort = LastResort.CLOSEST;
    if (node.hasNonNull("last_resort")) {
      lastResort = LastResort.fromConfig(node.get("last_resort").asText());
      if (lastResort == null) {
        problem(where, "last_resort", "unknown policy '" + node.get("last_resort").asText()
            + "'; use closest or fail_fast");
      }
    }
    int priority = node.hasNonNull("priority") ? node.get("priority").asInt() : 0;
    long expected = node.hasNonNull("expected_output_tokens") ? node.get("expected_output_tokens").asLong() : 1000;
    routes.add(new Route(name, file, priority, when, tryList, strategy, weights, expected,
        timeouts(node.get("timeouts"), where), hedge(node.get("hedge"), where), lastResort));
  }

  private RouteTimeouts timeouts(JsonNode node, String where) {
    RouteTimeouts d = RouteTimeouts.DEFAULTS;
    if (node == null || node.isNull()) {
      return d;
    }
    unknownKeys(node, Set.of("first_token", "attempt", "total"), where, "timeouts.");
    return new RouteTimeouts(duration(node.get("first_token"), d.firstToken(), where, "timeouts.first_token"),
        duration(node.get("attempt"), d.attempt(), where, "timeouts.attempt"),
        duration(node.get("total"), d.total(), where, "timeouts.total"));
  }

  private HedgeSettings hedge(JsonNode node, String where) {
    HedgeSettings d = HedgeSettings.OFF;
    if (node == null || node.isNull()) {
      return d;
    }
    if (node.isBoolean()) {
      return new HedgeSettings(node.asBoolean(), d.minDelay(), d.defaultDelay());
    }
    if (!node.isObject()) {
      problem(where, "hedge", "must be true, false or { enabled, min_delay, default_delay }");
      return d;
    }
    unknownKeys(node, Set.of("enabled", "min_delay", "default_delay"), where, "hedge.");
    return new HedgeSettings(node.path("enabled").asBoolean(true),
        duration(node.get("min_delay"), d.minDelay(), where, "hedge.min_delay"),
        duration(node.get("default_delay"), d.defaultDelay(), where, "hedge.default_delay"));
  }

  private Match when(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return Match.ANY;
    }
    if (!node.isObject()) {
      problem(where, "when", "must be a map of conditions, e.g. { task: turn, hint: planning }");
      return Match.ANY;
    }
    unknownKeys(node, WHEN_KEYS, where, "when.");
    Set<SubTask> tasks = new LinkedHashSet<>();
    for (String t : strings(node.get("task"), where, "when.task")) {
      SubTask task = SubTask.fromConfig(t);
      if (task == null) {
        problem(where, "when.task", "unknown sub-task '" + t
            + "'; use turn, compaction, grader, subagent, permission, title or proxy");
      } else {
        tasks.add(task);
      }
    }
    Long min = null;
    Long max = null;
    JsonNode tokens = node.get("input_tokens");
    if (tokens != null && !tokens.isNull()) {
      unknownKeys(tokens, Set.of("min", "max"), where, "when.input_tokens.");
      min = tokenBound(tokens.get("min"), where, "when.input_tokens.min");
      max = tokenBound(tokens.get("max"), where, "when.input_tokens.max");
      if (min != null && max != null && min >= max) {
        problem(where, "when.input_tokens", "min (" + min + ") must be below max (" + max + ")");
      }
    }
    Boolean thinking = null;
    if (node.hasNonNull("thinking")) {
      if (!node.get("thinking").isBoolean()) {
        problem(where, "when.thinking", "must be true or false");
      } else {
        thinking = node.get("thinking").asBoolean();
      }
    }
    return new Match(tasks, globs(node.get("model"), where, "when.model"),
        globs(node.get("agent_id"), where, "when.agent_id"), globs(node.get("agent_name"), where, "when.agent_name"),
        globMap(node.get("agent_metadata"), where, "when.agent_metadata"),
        globMap(node.get("session_metadata"), where, "when.session_metadata"),
        globs(node.get("tenant"), where, "when.tenant"), globs(node.get("tools"), where, "when.tools"), min, max,
        thinking, globs(node.get("hint"), where, "when.hint"));
  }

  private Long tokenBound(JsonNode node, String where, String key) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < 0) {
      problem(where, key, "must be a whole number of tokens, e.g. 150000");
      return null;
    }
    return node.asLong();
  }

  private List<Glob> globs(JsonNode node, String where, String key) {
    List<Glob> out = new ArrayList<>();
    for (String s : strings(node, where, key)) {
      Glob glob = glob(s, where, key);
      if (glob != null) {
        out.add(glob);
      }
    }
    return out;
  }

  private Map<String, Glob> globMap(JsonNode node, String where, String key) {
    Map<String, Glob> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      problem(where, key, "must be a map of metadata key to value pattern");
      return out;
    }
    node.fields().forEachRemaining(e -> {
      Glob glob = glob(e.getValue().asText(), where, key + "." + e.getKey());
      if (glob != null) {
        out.put(e.getKey(), glob);
      }
    });
    return out;
  }

  private Glob glob(String s, String where, String key) {
    try {
      return Glob.compile(s);
    } catch (IllegalArgumentException e) {
      problem(where, key, "bad pattern '" + s + "': " + e.getMessage()
          + "; use * for any run, ? for one character, [abc] for a set");
      return null;
    }
  }

  private List<String> strings(JsonNode node, String where, String key) {
    List<String> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (node.isValueNode()) {
      out.add(node.asText());
    } else if (node.isArray()) {
      node.forEach(n -> {
        if (n.isValueNode()) {
          out.add(n.asText());
        } else {
          problem(where, key, "list entries must be plain values");
        }
      });
    } else {
      problem(where, key, "must be a value or a list of values");
    }
    return out;
  }

  private String text(JsonNode node, String key, String where) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull() || !value.isValueNode() || value.asText().isBlank()) {
      problem(where, key, "is missing; every target needs 'provider' and 'model'");
      return null;
    }
    return value.asText();
  }

  private int positiveInt(JsonNode node, String key, int fallback, String where, String prefix) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.canConvertToInt() || value.asInt() <= 0) {
      problem(where, prefix + key, "must be a whole number above 0");
      return fallback;
    }
    return value.asInt();
  }

  private float percent(JsonNode node, String key, float fallback, String where) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isNumber() || value.asDouble() <= 0 || value.asDouble() > 100) {
      problem(where, "breaker." + key, "must be a percentage above 0 and at most 100");
      return fallback;
    }
    return (float) value.asDouble();
  }

  Duration duration(JsonNode node, Duration fallback, String where, String key) {
    if (node == null || node.isNull()) {
      return fallback;
    }
    Matcher m = DURATION.matcher(node.asText().trim());
    if (!m.matches()) {
      problem(where, key, "bad duration '" + node.asText() + "'; write a whole number with a unit: 250ms, 30s, 5m, 1h");
      return fallback;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private void unknownKeys(JsonNode node, Set<String> allowed, String where, String prefix) {
    if (!node.isObject()) {
      return;
    }
    node.fieldNames().forEachRemaining(k -> {
      if (!allowed.contains(k)) {
        problem(where, prefix + k, "unknown key; allowed here: " + String.join(", ", allowed.stream().sorted().toList()));
      }
    });
  }

  void problem(String where, String key, String message) {
    StringBuilder out = new StringBuilder(file).append(": ");
    if (where != null) {
      out.append(where).append(", ");
    }
    if (key != null) {
      out.append("key '").append(key).append("': ");
    }
    problems.add(out.append(message).toString());
  }
}
