package dev.junction.routing;

/** The kind of model call being routed (DESIGN.md §4), with the name route files use. */
public enum SubTask {
  /** The agent's main model request. */
  TURN("turn"),
  /** Summarising old context when the window fills. */
  COMPACTION("compaction"),
  /** Judging work against a rubric. */
  GRADER("grader"),
  /** A child thread's turn in a multi-agent session. */
  SUBAGENT("subagent"),
  /** The {@code auto} permission policy judging a tool call. */
  PERMISSION("permission"),
  /** Naming a session. */
  TITLE("title"),
  /** A call arriving on a model-proxy endpoint. */
  PROXY("proxy");

  private final String configName;

  SubTask(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** @return the sub-task with this configuration name, or null */
  public static SubTask fromConfig(String value) {
    for (SubTask task : values()) {
      if (task.configName.equals(value)) {
        return task;
      }
    }
    return null;
  }
}
