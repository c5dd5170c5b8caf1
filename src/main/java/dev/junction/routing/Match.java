package dev.junction.routing;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A route's {@code when}: every condition that is set must hold; an empty match holds for every
 * call. Lists mean "any of"; metadata maps mean "every key present with a value matching its glob".
 *
 * @param tasks sub-tasks, empty for any
 * @param models globs over the requested model id
 * @param toolsAny the call must offer at least one tool matching one of these globs
 * @param minInputTokens inclusive lower bound of the estimated input tokens, or null
 * @param maxInputTokens exclusive upper bound, or null
 * @param thinking required thinking flag, or null for either
 */
public record Match(Set<SubTask> tasks, List<Glob> models, List<Glob> agentIds, List<Glob> agentNames,
    Map<String, Glob> agentMetadata, Map<String, Glob> sessionMetadata, List<Glob> tenants, List<Glob> toolsAny,
    Long minInputTokens, Long maxInputTokens, Boolean thinking, List<Glob> hints) {

  public static final Match ANY = new Match(Set.of(), List.of(), List.of(), List.of(), Map.of(), Map.of(), List.of(),
      List.of(), null, null, null, List.of());

  public Match {
    tasks = Set.copyOf(tasks);
    models = List.copyOf(models);
    agentIds = List.copyOf(agentIds);
    agentNames = List.copyOf(agentNames);
    agentMetadata = Map.copyOf(agentMetadata);
    sessionMetadata = Map.copyOf(sessionMetadata);
    tenants = List.copyOf(tenants);
    toolsAny = List.copyOf(toolsAny);
    hints = List.copyOf(hints);
  }

  public boolean matches(SubTask task, Attributes a) {
    if (!tasks.isEmpty() && !tasks.contains(task)) {
      return false;
    }
    if (!any(models, a.requestedModel()) || !any(agentIds, a.agentId()) || !any(agentNames, a.agentName())
        || !any(tenants, a.tenant()) || !hints.isEmpty() && !any(hints, a.hint())) {
      return false;
    }
    if (!all(agentMetadata, a.agentMetadata()) || !all(sessionMetadata, a.sessionMetadata())) {
      return false;
    }
    if (!toolsAny.isEmpty() && !offersAny(a.tools())) {
      return false;
    }
    if (minInputTokens != null && a.estimatedInputTokens() < minInputTokens) {
      return false;
    }
    if (maxInputTokens != null && a.estimatedInputTokens() >= maxInputTokens) {
      return false;
    }
    return thinking == null || thinking == a.thinking();
  }

  private static boolean any(List<Glob> globs, String value) {
    if (globs.isEmpty()) {
      return true;
    }
    for (Glob glob : globs) {
      if (glob.matches(value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean all(Map<String, Glob> wanted, Map<String, String> actual) {
    for (Map.Entry<String, Glob> entry : wanted.entrySet()) {
      if (!entry.getValue().matches(actual.get(entry.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private boolean offersAny(Set<String> tools) {
    for (String tool : tools) {
      for (Glob glob : toolsAny) {
        if (glob.matches(tool)) {
          return true;
        }
      }
    }
    return false;
  }
}
