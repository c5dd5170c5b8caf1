package dev.junction.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToolIdsTest {

  @ParameterizedTest
  @ValueSource(strings = {"toolu_01A09q90qw90lq917835lq9", "call_Qk3vN8xR2mT5wY7zA1bC4dE6",
      "chatcmpl-tool-9f8e7d6c5b4a39281706f5e4d3c2b1a0", "vYc2Lr8pXq0mTz5sKj3nWb7dHf1gRa4e"})
  void validIdsPassThroughUnchanged(String id) {
    assertSame(id, ToolIds.toAnthropic(id));
    assertSame(id, ToolIds.fromAnthropic(id));
  }

  @ParameterizedTest
  @ValueSource(strings = {"functions.get_weather:0", "call 1", "tool/ü/1", "a.b.c"})
  void foreignIdsMapToThePatternAndBack(String id) {
    String mapped = ToolIds.toAnthropic(id);
    assertTrue(ToolIds.isValid(mapped), mapped);
    assertEquals(mapped, ToolIds.toAnthropic(id), "deterministic");
    assertEquals(id, ToolIds.fromAnthropic(mapped), "reversible");
  }

  @ParameterizedTest
  @ValueSource(ints = {65, 100, 300})
  void overlongIdsBecomeDeterministicValidIds(int length) {
    String id = "x".repeat(length);
    String mapped = ToolIds.toAnthropic(id);
    assertTrue(ToolIds.isValid(mapped) && mapped.length() <= 64, mapped);
    assertEquals(mapped, ToolIds.toAnthropic(id));
    assertNotEquals(mapped, ToolIds.toAnthropic(id + "y"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7})
  void synthesizedIdsAreValidAndDistinctPerIndex(int index) {
    String id = ToolIds.synthesize("chatcmpl-417/3", index);
    assertTrue(ToolIds.isValid(id), id);
    assertEquals(id, ToolIds.synthesize("chatcmpl-417/3", index));
    assertNotEquals(id, ToolIds.synthesize("chatcmpl-417/3", index + 1));
    assertNotEquals(id, ToolIds.synthesize("chatcmpl-417/5", index));
  }
}
