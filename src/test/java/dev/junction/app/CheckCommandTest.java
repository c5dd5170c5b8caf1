package dev.junction.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code junction check} validates the route files against the providers the configuration sets up. */
class CheckCommandTest {
  private static final String CONFIG = """
      auth:
        api_keys:
          - { key_sha256: %s, tenant: t }
      providers:
        local-qwen: { kind: openai-compatible, base_url: "http://127.0.0.1:9/v1" }
      routes: %s
      """;

  private record Result(int status, String out, String err) {
  }

  private static Result check(Path dir, String routes) throws Exception {
    Path routesDir = Files.createDirectories(dir.resolve("routes"));
    Files.writeString(routesDir.resolve("team.yaml"), routes);
    Path config = dir.resolve("junction.yaml");
    Files.writeString(config, CONFIG.formatted(ConfigLoader.sha256("k"), routesDir));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(new String[] {"check", "--config", config.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void shouldFailNamingFileRouteKeyAndFixWhenARouteNamesAnUnknownTargetOrProvider(@TempDir Path dir) throws Exception {
    Result r = check(dir, """
        targets:
          qwen:   { provider: local-qwen, model: qwen3-32b }
          claude: { provider: anthropc, model: claude-sonnet-4-6 }
        routes:
          - { name: planning, try: [qwen, gtp] }
        """);
    assertEquals(1, r.status(), r.out() + r.err());
    String file = dir.resolve("routes").resolve("team.yaml").toString();
    assertTrue(r.err().contains(file + ": route 'planning', key 'try[1]': unknown target 'gtp'; define it under 'targets:'"),
        r.err());
    assertTrue(r.err().contains(file + ": target 'claude', key 'provider': unknown provider 'anthropc'"), r.err());
    assertTrue(r.err().contains("use one of local-qwen"), "the fix lists the configured providers: " + r.err());
  }

  @Test
  void shouldPassWhenEveryTargetNamesAConfiguredProvider(@TempDir Path dir) throws Exception {
    Result r = check(dir, """
        targets:
          qwen:   { provider: local-qwen, model: qwen3-32b }
          claude: { provider: anthropic, model: claude-sonnet-4-6, optional: true }
        routes:
          - { name: planning, try: [qwen, claude] }
        """);
    assertEquals(0, r.status(), r.out() + r.err());
    assertTrue(r.out().contains("routes OK"), r.out());
    assertTrue(r.out().contains("providers local-qwen"), r.out());
  }
}
