package dev.junction.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteMatchTest {
  private static final RouteTable TABLE = YamlRouteTable.parse(Map.of("m.yaml", """
      targets:
        gpt: { provider: openai, model: gpt-5.4 }
      routes:
        - { name: by-task, priority: 10, when: { task: [grader, title] }, try: [gpt] }
        - { name: by-model, when: { model: "claude-opus-*" }, try: [gpt] }
        - { name: by-agent-id, when: { agent_id: "agent_01*" }, try: [gpt] }
        - { name: by-agent-name, when: { agent_name: [reviewer, "fix?r"] }, try: [gpt] }
        - { name: by-agent-metadata, when: { agent_metadata: { team: "pay*" } }, try: [gpt] }
        - { name: by-session-metadata, when: { session_metadata: { tier: gold } }, try: [gpt] }
        - { name: by-tenant, when: { tenant: "acme-[ab]" }, try: [gpt] }
        - { name: by-tools, when: { tools: ["mcp_*", bash] }, try: [gpt] }
        - { name: by-size, when: { input_tokens: { min: 100000, max: 200000 } }, try: [gpt] }
        - { name: by-thinking, when: { thinking: true }, try: [gpt] }
        - { name: by-hint, when: { hint: planning }, try: [gpt] }
        - { name: combined, when: { task: turn, tenant: beta, hint: bug-finding }, try: [gpt] }
        - { name: fallback, priority: -1, try: [gpt] }
      """), Set.of("openai"));

  private static String route(SubTask task, Attributes a) {
    return TABLE.route(task, a).name();
  }

  private static Attributes a(String model, String agentId, String agentName, Map<String, String> agentMeta,
      Map<String, String> sessionMeta, String tenant, Set<String> tools, long tokens, boolean thinking) {
    return new Attributes(model, agentId, agentName, agentMeta, sessionMeta, tenant, tools, tokens, thinking);
  }

  @Test
  void shouldMatchOnEveryAttributeKind() {
    Attributes none = Attributes.NONE;
    assertEquals("by-task", route(SubTask.GRADER, none));
    assertEquals("by-task", route(SubTask.TITLE, a("claude-opus-4-6", null, null, null, null, null, null, 0, false)),
        "higher priority first");
    assertEquals("by-model", route(SubTask.TURN, a("claude-opus-4-6", null, null, null, null, null, null, 0, false)));
    assertEquals("fallback", route(SubTask.TURN, a("claude-sonnet-4-6", null, null, null, null, null, null, 0, false)));
    assertEquals("by-agent-id", route(SubTask.TURN, a(null, "agent_01XYZ", null, null, null, null, null, 0, false)));
    assertEquals("by-agent-name", route(SubTask.TURN, a(null, null, "fixer", null, null, null, null, 0, false)));
    assertEquals("by-agent-name", route(SubTask.TURN, a(null, null, "reviewer", null, null, null, null, 0, false)));
    assertEquals("by-agent-metadata", route(SubTask.TURN, a(null, null, null, Map.of("team", "payments"), null, null,
        null, 0, false)));
    assertEquals("fallback", route(SubTask.TURN, a(null, null, null, Map.of("team", "search"), null, null, null, 0,
        false)));
    assertEquals("by-session-metadata", route(SubTask.TURN, a(null, null, null, null, Map.of("tier", "gold"), null,
        null, 0, false)));
    assertEquals("by-tenant", route(SubTask.TURN, a(null, null, null, null, null, "acme-b", null, 0, false)));
    assertEquals("fallback", route(SubTask.TURN, a(null, null, null, null, null, "acme-c", null, 0, false)));
    assertEquals("by-tools", route(SubTask.TURN, a(null, null, null, null, null, null, Set.of("read", "mcp_github"), 0,
        false)));
    assertEquals("by-tools", route(SubTask.TURN, a(null, null, null, null, null, null, Set.of("bash"), 0, false)));
    assertEquals("fallback", route(SubTask.TURN, a(null, null, null, null, null, null, Set.of("read"), 0, false)));
    assertEquals("by-size", route(SubTask.TURN, a(null, null, null, null, null, null, null, 100_000, false)));
    assertEquals("fallback", route(SubTask.TURN, a(null, null, null, null, null, null, null, 200_000, false)),
        "max is exclusive");
    assertEquals("by-thinking", route(SubTask.TURN, a(null, null, null, null, null, null, null, 0, true)));
    assertEquals("by-hint", route(SubTask.TURN, a(null, null, null, Map.of("junction.task", "planning"), null, null,
        null, 0, false)), "the agent's hint");
    assertEquals("combined", route(SubTask.TURN, a(null, null, null, Map.of("junction.task", "planning"),
        Map.of("junction.task", "bug-finding"), "beta", null, 0, false)), "the session's hint overrides the agent's");
    assertEquals("fallback", route(SubTask.COMPACTION, a(null, null, null, null,
        Map.of("junction.task", "bug-finding"), "beta", null, 0, false)), "every condition must hold");
  }

  @Test
  void shouldCompileGlobs() {
    assertTrue(Glob.compile("claude-*").matches("claude-opus-4-6"));
    assertTrue(Glob.compile("o[134]*").matches("o3-mini"));
    assertTrue(!Glob.compile("o[134]*").matches("o2"));
    assertTrue(Glob.compile("a.b").matches("a.b"));
    assertTrue(!Glob.compile("a.b").matches("axb"), "dots are literal");
    assertThrows(IllegalArgumentException.class, () -> Glob.compile("claude-[opus"));
    assertThrows(IllegalArgumentException.class, () -> Glob.compile(""));
  }
}
