package dev.junction.tools;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToolsetTest {

  private static List<String> names(Toolset t) {
    return t.enabled().stream().map(e -> e.tool().toolName()).toList();
  }

  @Test
  void shouldEnableEveryRunnableToolByDefaultWithAlwaysAllow() {
    Toolset t = Toolset.from(new JsonArray().add(new JsonObject().put("type", "agent_toolset_20260401")));
    assertEquals(List.of("bash", "edit", "read", "write", "glob", "grep", "web_fetch"), names(t));
    assertTrue(t.enabled().stream().allMatch(e -> e.policy() == PermissionPolicy.ALWAYS_ALLOW));
    assertEquals(List.of("web_search"), t.unsupported());
    assertTrue(t.needsSandbox());
  }

  @Test
  void shouldLetPerToolConfigsOverrideTheDefault() {
    JsonObject toolset = new JsonObject().put("type", "agent_toolset_20260401")
        .put("default_config", new JsonObject().put("enabled", true).put("permission_policy", new JsonObject().put("type", "always_ask")))
        .put("configs", new JsonArray()
            .add(new JsonObject().put("type", "bash").put("name", "bash").put("permission_policy", new JsonObject().put("type", "always_allow")))
            .add(new JsonObject().put("name", "write").put("enabled", false))
            .add(new JsonObject().put("name", "web_search").put("enabled", false))
            .add(new JsonObject().put("name", "web_fetch").put("permission_policy", new JsonObject().put("type", "auto"))));
    Toolset t = Toolset.from(new JsonArray().add(new JsonObject().put("type", "custom").put("name", "bash"))
        .add(toolset).add(new JsonObject().put("type", "mcp_toolset").put("mcp_server_name", "gh")));
    assertEquals(List.of("bash", "edit", "read", "glob", "grep", "web_fetch"), names(t));
    assertEquals(PermissionPolicy.ALWAYS_ALLOW, t.find("bash").orElseThrow().policy());
    assertEquals(PermissionPolicy.ALWAYS_ASK, t.find("read").orElseThrow().policy());
    assertEquals(PermissionPolicy.AUTO, t.find("web_fetch").orElseThrow().policy());
    assertTrue(t.unsupported().isEmpty());
    assertFalse(t.find("write").isPresent());
  }

  @Test
  void shouldOfferOnlyWhatIsEnabled() {
    JsonObject toolset = new JsonObject().put("type", "agent_toolset_20260401")
        .put("default_config", new JsonObject().put("enabled", false))
        .put("configs", new JsonArray().add(new JsonObject().put("name", "web_fetch").put("enabled", true)
            .put("allowed_domains", new JsonArray().add("example.com"))));
    Toolset t = Toolset.from(new JsonArray().add(toolset));
    assertEquals(List.of("web_fetch"), names(t));
    assertFalse(t.needsSandbox());
    assertEquals(new JsonArray().add("example.com"), t.find("web_fetch").orElseThrow().config().getJsonArray("allowed_domains"));
  }

  @Test
  void shouldHaveNoToolsWithoutTheToolset() {
    assertTrue(Toolset.from(null).enabled().isEmpty());
    assertTrue(Toolset.from(new JsonArray()).enabled().isEmpty());
  }

  @Test
  void shouldDescribeEachToolWithAnObjectSchema() {
    JsonArray defs = Toolset.from(new JsonArray().add(new JsonObject().put("type", "agent_toolset_20260401"))).definitions();
    assertEquals(7, defs.size());
    for (Object o : defs) {
      JsonObject d = (JsonObject) o;
      assertFalse(d.getString("description").isBlank());
      assertEquals("object", d.getJsonObject("input_schema").getString("type"));
    }
    JsonObject edit = BuiltinTool.EDIT.definition().getJsonObject("input_schema");
    assertEquals(new JsonArray().add("file_path").add("old_string").add("new_string"), edit.getJsonArray("required"));
    assertEquals("boolean", edit.getJsonObject("properties").getJsonObject("replace_all").getString("type"));
    assertEquals("array", BuiltinTool.READ.definition().getJsonObject("input_schema").getJsonObject("properties")
        .getJsonObject("view_range").getString("type"));
  }

  @Test
  void shouldTreatAnUnknownPolicyAsAsk() {
    assertEquals(PermissionPolicy.ALWAYS_ASK, PermissionPolicy.from(new JsonObject().put("type", "sometimes"), PermissionPolicy.ALWAYS_ALLOW));
    assertEquals(PermissionPolicy.ALWAYS_ALLOW, PermissionPolicy.from(null, PermissionPolicy.ALWAYS_ALLOW));
    assertEquals(new JsonObject().put("type", "always_ask"), PermissionPolicy.ALWAYS_ASK.toJson());
  }
}
