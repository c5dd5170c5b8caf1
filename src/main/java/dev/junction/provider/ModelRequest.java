package dev.junction.provider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A canonical model call, shaped like an Anthropic Messages request. Immutable: adapters encode it
 * afresh for every attempt and never change it, so a failed attempt can be re-encoded for another
 * provider.
 *
 * @param model the model id as the target provider knows it
 * @param system system prompt blocks (joined for providers without block-level system prompts)
 * @param maxTokens output budget, thinking included
 * @param metadata opaque caller metadata (Anthropic {@code metadata}, e.g. {@code user_id})
 * @param effort {@code output_config.effort} (low, medium, high, ...) or null
 * @param stream whether the caller wants a stream; {@link ProviderClient} sets it per call
 */
public record ModelRequest(
    String model,
    List<ContentBlock.Text> system,
    List<Message> messages,
    List<ToolDefinition> tools,
    ToolChoice toolChoice,
    int maxTokens,
    List<String> stopSequences,
    ThinkingConfig thinking,
    Map<String, String> metadata,
    Double temperature,
    Double topP,
    Integer topK,
    String effort,
    boolean stream) {

  public ModelRequest {
    Objects.requireNonNull(model, "model");
    system = system == null ? List.of() : List.copyOf(system);
    messages = List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
    stopSequences = stopSequences == null ? List.of() : List.copyOf(stopSequences);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    if (maxTokens <= 0) {
      throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
    }
  }

  /** The system prompt as one string (blocks joined by blank lines), or null when there is none. */
  public String systemText() {
    if (system.isEmpty()) {
      return null;
    }
    if (system.size() == 1) {
      return system.get(0).text();
    }
    StringBuilder out = new StringBuilder();
    for (ContentBlock.Text text : system) {
      if (out.length() > 0) {
        out.append("\n\n");
      }
      out.append(text.text());
    }
    return out.toString();
  }

  public ModelRequest withModel(String newModel) {
    return toBuilder().model(newModel).build();
  }

  public ModelRequest withStream(boolean newStream) {
    return newStream == stream ? this : toBuilder().stream(newStream).build();
  }

  public Builder toBuilder() {
    Builder b = new Builder(model);
    b.system.addAll(system);
    b.messages.addAll(messages);
    b.tools.addAll(tools);
    b.toolChoice = toolChoice;
    b.maxTokens = maxTokens;
    b.stopSequences.addAll(stopSequences);
    b.thinking = thinking;
    b.metadata.putAll(metadata);
    b.temperature = temperature;
    b.topP = topP;
    b.topK = topK;
    b.effort = effort;
    b.stream = stream;
    return b;
  }

  public static Builder builder(String model) {
    return new Builder(model);
  }

  /** A mutable builder; {@link #build()} returns the immutable record. List adders append. */
  public static final class Builder {
    private String model;
    private final List<ContentBlock.Text> system = new ArrayList<>();
    private final List<Message> messages = new ArrayList<>();
    private final List<ToolDefinition> tools = new ArrayList<>();
    private ToolChoice toolChoice;
    private int maxTokens = 1024;
    private final List<String> stopSequences = new ArrayList<>();
    private ThinkingConfig thinking;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private Double temperature;
    private Double topP;
    private Integer topK;
    private String effort;
    private boolean stream;

    private Builder(String model) {
      this.model = model;
    }

    public Builder model(String value) { this.model = value; return this; }
    public Builder system(String text) { system.add(new ContentBlock.Text(text)); return this; }
    public Builder system(ContentBlock.Text text) { system.add(text); return this; }
    public Builder message(Message message) { messages.add(message); return this; }
    public Builder messages(List<Message> values) { messages.addAll(values); return this; }
    public Builder tool(ToolDefinition tool) { tools.add(tool); return this; }
    public Builder toolChoice(ToolChoice value) { this.toolChoice = value; return this; }
    public Builder maxTokens(int value) { this.maxTokens = value; return this; }
    public Builder stopSequence(String value) { stopSequences.add(value); return this; }
    public Builder thinking(ThinkingConfig value) { this.thinking = value; return this; }
    public Builder metadata(String key, String value) { metadata.put(key, value); return this; }
    public Builder temperature(Double value) { this.temperature = value; return this; }
    public Builder topP(Double value) { this.topP = value; return this; }
    public Builder topK(Integer value) { this.topK = value; return this; }
    public Builder effort(String value) { this.effort = value; return this; }
    public Builder stream(boolean value) { this.stream = value; return this; }

    public ModelRequest build() {
      return new ModelRequest(model, system, messages, tools, toolChoice, maxTokens, stopSequences,
          thinking, metadata, temperature, topP, topK, effort, stream);
    }
  }
}
