package dev.junction.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderConfigsTest {
  private static final String YAML = """
      providers:
        anthropic:
          kind: anthropic
          api_key: env:MY_ANTHROPIC_KEY
          anthropic_version: "2026-10-21"
          timeouts: { connect: 2s, first_token: 45s, idle: 500ms, total: 10m }
          headers: { Anthropic-Beta: "context-1m-2025-08-07" }
          prices:
            claude-sonnet-4-6: { input: 2.5, output: 12 }
        gpt:
          kind: openai-responses
          api_key: env:MY_OPENAI_KEY
        local-qwen:
          kind: openai-compatible
          dialect: ollama
          base_url: http://localhost:11434/v1
      """;

  private static JsonNode providers(String yaml) throws Exception {
    return new ObjectMapper(new YAMLFactory()).readTree(yaml).get("providers");
  }

  @Test
  void readsEveryFieldAndResolvesEnvReferences() throws Exception {
    ProviderSet set = ProviderConfigs.parse(providers(YAML), Map.of("MY_ANTHROPIC_KEY", "sk-ant", "MY_OPENAI_KEY", "sk-oa"));
    ProviderConfig anthropic = set.find("anthropic");
    assertEquals(ProviderKind.ANTHROPIC, anthropic.kind());
    assertEquals("https://api.anthropic.com", anthropic.baseUrl());
    assertEquals("sk-ant", anthropic.apiKey());
    assertEquals("2026-10-21", anthropic.anthropicVersion());
    assertEquals(new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(45), Duration.ofMillis(500), Duration.ofMinutes(10)),
        anthropic.timeouts());
    assertEquals(Map.of("anthropic-beta", "context-1m-2025-08-07"), anthropic.headers());
    Pricing sonnet = anthropic.prices().find("claude-sonnet-4-6");
    assertEquals(new BigDecimal("2.5"), sonnet.input());
    assertEquals(new BigDecimal("2.5"), sonnet.cacheRead(), "missing cache prices default to the input price");
    assertEquals(new BigDecimal("5"), anthropic.prices().find("claude-opus-4-6").input(), "defaults stay");

    ProviderConfig gpt = set.find("gpt");
    assertEquals(ProviderKind.OPENAI_RESPONSES, gpt.kind());
    assertEquals("https://api.openai.com/v1", gpt.baseUrl());

    ProviderConfig qwen = set.find("local-qwen");
    assertEquals(Dialect.OLLAMA, qwen.dialect());
    assertNull(qwen.apiKey());
    assertEquals(Timeouts.DEFAULTS, qwen.timeouts());
    assertTrue(set.disabled().isEmpty());
  }

  @Test
  void conventionalVariablesOverrideTheFile() throws Exception {
    ProviderSet set = ProviderConfigs.parse(providers(YAML), Map.of("MY_ANTHROPIC_KEY", "sk-file",
        "ANTHROPIC_API_KEY", "sk-env", "ANTHROPIC_BASE_URL", "http://proxy:8080", "OPENAI_API_KEY", "sk-oa",
        "QWEN_BASE_URL", "http://gpu:8000/v1", "QWEN_API_KEY", "local"));
    assertEquals("sk-env", set.find("anthropic").apiKey());
    assertEquals("http://proxy:8080", set.find("anthropic").baseUrl());
    assertEquals("sk-oa", set.find("gpt").apiKey(), "OPENAI_API_KEY fills an unset env reference");
    assertEquals("http://gpu:8000/v1", set.find("local-qwen").baseUrl());
    assertEquals("local", set.find("local-qwen").apiKey());
  }

  @Test
  void aProviderWhoseKeyIsNotSetIsDisabledWithTheFix() throws Exception {
    ProviderSet set = ProviderConfigs.parse(providers(YAML), Map.of("MY_ANTHROPIC_KEY", "sk-ant"));
    assertNull(set.find("gpt"));
    assertEquals("providers.gpt.api_key refers to MY_OPENAI_KEY, which is not set; export MY_OPENAI_KEY to enable it",
        set.disabled().get("gpt"));
    assertEquals(2, set.providers().size());
  }

  @Test
  void withoutAProvidersSectionTheEnvironmentDecides() {
    ProviderSet set = ProviderConfigs.parse((JsonNode) null, Map.of("ANTHROPIC_API_KEY", "sk-ant",
        "OPENAI_API_KEY", "sk-oa", "QWEN_BASE_URL", "http://localhost:8000/v1"));
    assertEquals(3, set.providers().size());
    assertEquals(ProviderKind.ANTHROPIC, set.find("anthropic").kind());
    assertEquals("2023-06-01", set.find("anthropic").anthropicVersion());
    assertEquals(ProviderKind.OPENAI_RESPONSES, set.find("openai").kind());
    assertEquals(Dialect.VLLM, set.find("local-qwen").dialect());
    assertEquals(0, ProviderConfigs.parse(Map.of(), Map.of()).providers().size());
  }

  @Test
  void errorsNameTheKeyAndTheFix() {
    assertEquals("providers.x.kind 'grpc' is not a provider kind; use one of anthropic, openai, openai-responses, "
        + "openai-compatible", message("{\"x\":{\"kind\":\"grpc\"}}"));
    assertEquals("providers.x.api_key must be an env:NAME reference; keep the key in an environment variable and write "
        + "api_key: env:NAME", message("{\"x\":{\"kind\":\"openai\",\"api_key\":\"sk-literal\"}}"));
    assertEquals("providers.q.base_url is required for openai-compatible providers, e.g. http://localhost:8000/v1 "
        + "(or set QWEN_BASE_URL)", message("{\"q\":{\"kind\":\"openai-compatible\"}}"));
    assertEquals("providers.q.dialect 'tgi' is not a dialect; use one of vllm, ollama, ollama-native, llama.cpp, sglang",
        message("{\"q\":{\"kind\":\"openai-compatible\",\"base_url\":\"http://h\",\"dialect\":\"tgi\"}}"));
    assertEquals("providers.q.timeouts.idle '3 seconds' is not a duration; write e.g. 500ms, 30s or 10m",
        message("{\"q\":{\"kind\":\"openai-compatible\",\"base_url\":\"http://h\",\"timeouts\":{\"idle\":\"3 seconds\"}}}"));
    assertEquals("providers.a.ca_file '/no/such.pem' cannot be read; give the path of a PEM file of CA certificates",
        message("{\"a\":{\"kind\":\"anthropic\",\"api_key\":\"env:K\",\"ca_file\":\"/no/such.pem\"}}"));
    assertEquals("providers.a.prices.m.output is required (USD per million tokens, e.g. output: 3)",
        message("{\"a\":{\"kind\":\"anthropic\",\"api_key\":\"env:K\",\"prices\":{\"m\":{\"input\":1}}}}"));
  }

  private static String message(String json) {
    JsonNode node;
    try {
      node = new ObjectMapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return assertThrows(IllegalArgumentException.class, () -> ProviderConfigs.parse(node, Map.of("K", "v"))).getMessage();
  }
}
