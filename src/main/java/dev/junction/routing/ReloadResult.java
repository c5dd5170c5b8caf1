package dev.junction.routing;

import java.util.List;

/**
 * What a reload did: swapped in a new table, or kept the old one because the files had problems.
 *
 * @param problems empty when the new table was swapped in
 */
public record ReloadResult(boolean swapped, List<String> problems) {
  public ReloadResult {
    problems = List.copyOf(problems);
  }
}
