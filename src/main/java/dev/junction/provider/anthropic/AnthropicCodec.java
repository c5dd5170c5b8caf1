package dev.junction.provider.anthropic;

import dev.junction.provider.CanonicalJson;
import dev.junction.provider.ContentBlock;
import dev.junction.provider.FailureClass;
import dev.junction.provider.HttpFailures;
import dev.junction.provider.Message;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderException;
import dev.junction.provider.StopReason;
import dev.junction.provider.ToolIds;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * Pure Anthropic Messages translation. Outbound it removes what Anthropic rejects: empty text
 * blocks ("text content blocks must be non-empty"), thinking blocks Anthropic did not sign
 * (another provider's reasoning; Anthropic would 400 on them) and tool ids outside its charset.
 */
public final class AnthropicCodec {
  private AnthropicCodec() {
  }

  /** The first API version that rejects sampling parameters (upstreams.md §1.1). */
  public static final String NO_SAMPLING_VERSION = "2026-10-21";

  public static JsonObject encode(ModelRequest request) {
    return CanonicalJson.encodeRequest(prepare(request));
  }

  /**
   * Encodes for a given {@code anthropic-version}: from {@value #NO_SAMPLING_VERSION} on, the API
   * answers 400 to {@code temperature}, {@code top_p} and {@code top_k} even at their defaults, so
   * they are left out.
   */
  public static JsonObject encode(ModelRequest request, String anthropicVersion) {
    return forVersion(encode(request), anthropicVersion);
  }

  /** Removes from a Messages body what {@code anthropicVersion} refuses; changes {@code body} in place. */
  public static JsonObject forVersion(JsonObject body, String anthropicVersion) {
    refusedMembers(anthropicVersion).forEach(body::remove);
    return body;
  }

  /** The top-level members of a Messages body that {@code anthropicVersion} refuses. */
  public static Set<String> refusedMembers(String anthropicVersion) {
    return anthropicVersion != null && anthropicVersion.compareTo(NO_SAMPLING_VERSION) >= 0
        ? Set.of("temperature", "top_p", "top_k") : Set.of();
  }

  /**
   * The request as Anthropic accepts it; returns {@code request} itself when nothing changes.
   * Metadata is reduced to {@code user_id}, the only key the Messages API accepts.
   */
  public static ModelRequest prepare(ModelRequest request) {
    boolean changed = request.metadata().size() > (request.metadata().containsKey("user_id") ? 1 : 0);
    List<Message> messages = new ArrayList<>(request.messages().size());
    for (Message message : request.messages()) {
      List<ContentBlock> kept = new ArrayList<>(message.content().size());
      boolean messageChanged = false;
      for (ContentBlock block : message.content()) {
        ContentBlock cleaned = clean(block);
        if (cleaned != block) {
          messageChanged = true;
          changed = true;
        }
        if (cleaned != null) {
          kept.add(cleaned);
        }
      }
      if (kept.isEmpty() && !message.content().isEmpty()) {
        changed = true;
        continue;
      }
      messages.add(messageChanged ? new Message(message.role(), kept) : message);
    }
    if (!changed) {
      return request;
    }
    return rebuild(request, messages);
  }

  private static ModelRequest rebuild(ModelRequest request, List<Message> messages) {
    String userId = request.metadata().get("user_id");
    Map<String, String> metadata = userId == null ? Map.of() : Map.of("user_id", userId);
    return new ModelRequest(request.model(), request.system(), messages, request.tools(), request.toolChoice(),
        request.maxTokens(), request.stopSequences(), request.thinking(), metadata, request.temperature(),
        request.topP(), request.topK(), request.effort(), request.stream());
  }

  /** The block to send, {@code block} itself when unchanged, or null to drop it. */
  private static ContentBlock clean(ContentBlock block) {
    if (block instanceof ContentBlock.Text text) {
      return text.text().isEmpty() ? null : block;
    }
    if (block instanceof ContentBlock.Thinking thinking) {
      return thinking.signedByAnthropic() ? block : null;
    }
    if (block instanceof ContentBlock.ToolUse use) {
      String id = ToolIds.toAnthropic(use.id());
      return id.equals(use.id()) ? block : new ContentBlock.ToolUse(id, use.name(), use.input());
    }
    if (block instanceof ContentBlock.ToolResult result) {
      String id = ToolIds.toAnthropic(result.toolUseId());
      List<ContentBlock> content = new ArrayList<>(result.content().size());
      for (ContentBlock inner : result.content()) {
        if (!(inner instanceof ContentBlock.Text t && t.text().isEmpty())) {
          content.add(inner);
        }
      }
      if (id.equals(result.toolUseId()) && content.size() == result.content().size()) {
        return block;
      }
      return new ContentBlock.ToolResult(id, content, result.isError(), result.cacheControl());
    }
    return block;
  }

  /** Decodes a 200 Messages reply. */
  public static ModelResponse decode(Buffer body) {
    ModelResponse usual = AnthropicReplyReader.read(body);
    return usual != null ? checked(usual) : decodeGeneral(body);
  }

  /** Through the map tree: any reply, and the error that says what is wrong with a bad one. */
  static ModelResponse decodeGeneral(Buffer body) {
    JsonObject json = HttpFailures.jsonOrNull(body);
    Object type = json == null ? null : json.getValue("type");
    if (json == null || (type != null && !"message".equals(type)) || !(json.getValue("content") instanceof JsonArray)) {
      throw ProviderException.of(FailureClass.MALFORMED,
          "Anthropic reply is not a message: " + HttpFailures.excerpt(body));
    }
    ModelResponse response;
    try {
      response = CanonicalJson.decodeResponse(json);
    } catch (RuntimeException e) {
      throw ProviderException.of(FailureClass.MALFORMED, "Anthropic reply has an invalid block: " + e.getMessage(), e);
    }
    return checked(response);
  }

  private static ModelResponse checked(ModelResponse response) {
    if (response.content().isEmpty() && response.stopReason() != StopReason.MAX_TOKENS
        && response.stopReason() != StopReason.PAUSE_TURN) {
      throw ProviderException.of(FailureClass.MALFORMED, "Anthropic returned an empty reply");
    }
    return response;
  }
}
