package dev.junction.routing;

import java.util.List;

/**
 * A route table that cannot be loaded. Every problem names the file, the route (or target) and
 * the key, and says how to fix it; {@link #getMessage()} lists them one per line.
 */
public final class RouteConfigException extends RuntimeException {
  private final List<String> problems;

  public RouteConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
