package dev.junction.routing;

import dev.junction.provider.ContentBlock;
import dev.junction.provider.MediaSource;
import dev.junction.provider.Message;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ToolDefinition;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a route can match on besides the sub-task. Immutable; build one per model call.
 *
 * @param requestedModel the model id the caller asked for, may be null
 * @param agentMetadata the agent's metadata (the {@code junction.task} hint may live here)
 * @param sessionMetadata the session's metadata (its {@code junction.task} overrides the agent's)
 * @param tools names of the tools offered to the model
 * @param estimatedInputTokens a rough prompt size, see {@link #estimateTokens(ModelRequest)}
 * @param thinking whether extended thinking was requested
 */
public record Attributes(String requestedModel, String agentId, String agentName, Map<String, String> agentMetadata,
    Map<String, String> sessionMetadata, String tenant, Set<String> tools, long estimatedInputTokens,
    boolean thinking) {

  /** The metadata key that names the task kind, e.g. {@code planning} or {@code bug-finding}. */
  public static final String HINT_KEY = "junction.task";
  public static final Attributes NONE = new Attributes(null, null, null, null, null, null, null, 0, false);

  public Attributes {
    agentMetadata = agentMetadata == null ? Map.of() : Map.copyOf(agentMetadata);
    sessionMetadata = sessionMetadata == null ? Map.of() : Map.copyOf(sessionMetadata);
    tools = tools == null ? Set.of() : Set.copyOf(tools);
  }

  /** The task hint: the session's {@code junction.task}, else the agent's, else null. */
  public String hint() {
    String session = sessionMetadata.get(HINT_KEY);
    return session != null ? session : agentMetadata.get(HINT_KEY);
  }

  /** Model, tools, thinking and size taken from a request; the caller adds agent, session and tenant. */
  public static Attributes of(ModelRequest request) {
    return of(request, estimateTokens(request));
  }

  /** Model, tools and thinking taken from a request, with its size estimated by the caller. */
  public static Attributes of(ModelRequest request, long estimatedInputTokens) {
    Set<String> names = new LinkedHashSet<>();
    for (ToolDefinition tool : request.tools()) {
      names.add(tool.name());
    }
    boolean thinking = request.thinking() != null && request.thinking().isOn();
    return new Attributes(request.model(), null, null, null, null, null, names, estimatedInputTokens, thinking);
  }

  /**
   * The estimate of {@link #estimateTokens(ModelRequest)} from the size of the request's JSON
   * instead of its text, for a caller whose bytes are at hand (the model proxy): four bytes per
   * token, base64 media excepted (a flat guess each, as there). It costs a walk over the blocks and
   * no encoding, where the text estimate encodes every tool schema and tool input; it reads a little
   * higher, since the JSON has its keys and punctuation too.
   */
  public static long estimateTokens(ModelRequest request, long jsonBytes) {
    long[] media = new long[2]; // base64 bytes, count
    for (Message message : request.messages()) {
      for (ContentBlock block : message.content()) {
        addMedia(block, media);
      }
    }
    return (Math.max(0, jsonBytes - media[0]) + 3) / 4 + media[1] * 1500;
  }

  private static void addMedia(ContentBlock block, long[] media) {
    if (block instanceof ContentBlock.Image image) {
      media[0] += dataLength(image.source());
      media[1]++;
    } else if (block instanceof ContentBlock.Document document) {
      media[0] += dataLength(document.source());
      media[1]++;
    } else if (block instanceof ContentBlock.ToolResult result) {
      for (ContentBlock inner : result.content()) {
        addMedia(inner, media);
      }
    }
  }

  private static long dataLength(MediaSource source) {
    return source == null || source.data() == null ? 0 : source.data().length();
  }

  public Attributes withAgent(String id, String name, Map<String, String> metadata) {
    return new Attributes(requestedModel, id, name, metadata, sessionMetadata, tenant, tools, estimatedInputTokens,
        thinking);
  }

  public Attributes withSessionMetadata(Map<String, String> metadata) {
    return new Attributes(requestedModel, agentId, agentName, agentMetadata, metadata, tenant, tools,
        estimatedInputTokens, thinking);
  }

  public Attributes withTenant(String value) {
    return new Attributes(requestedModel, agentId, agentName, agentMetadata, sessionMetadata, value, tools,
        estimatedInputTokens, thinking);
  }

  /**
   * Four characters per token over system, messages and tool schemas: close enough to pick a route
   * by size, and it costs one pass over the text rather than a tokenizer.
   */
  public static long estimateTokens(ModelRequest request) {
    long chars = 0;
    for (ContentBlock.Text text : request.system()) {
      chars += text.text().length();
    }
    for (Message message : request.messages()) {
      for (ContentBlock block : message.content()) {
        chars += blockChars(block);
      }
    }
    for (ToolDefinition tool : request.tools()) {
      chars += tool.name().length() + (tool.description() == null ? 0 : tool.description().length())
          + tool.inputSchema().encode().length();
    }
    return (chars + 3) / 4;
  }

  private static long blockChars(ContentBlock block) {
    if (block instanceof ContentBlock.Text text) {
      return text.text().length();
    }
    if (block instanceof ContentBlock.ToolUse use) {
      return use.name().length() + use.input().encode().length();
    }
    if (block instanceof ContentBlock.ToolResult result) {
      long sum = 0;
      for (ContentBlock inner : result.content()) {
        sum += blockChars(inner);
      }
      return sum;
    }
    if (block instanceof ContentBlock.Thinking thinking) {
      return thinking.thinking().length();
    }
    // images and documents: a flat guess, they are billed by size the estimate cannot see
    return 4 * 1500;
  }
}
