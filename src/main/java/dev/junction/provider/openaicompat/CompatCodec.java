package dev.junction.provider.openaicompat;

import dev.junction.provider.ContentBlock;
import dev.junction.provider.Dialect;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.StreamAccumulator;
import dev.junction.provider.StreamWriter;
import dev.junction.provider.ThinkingConfig;
import dev.junction.provider.ToolDefinition;
import dev.junction.provider.openai.ChatCodec;
import dev.junction.provider.openai.ChatOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Chat Completions for local servers, per dialect (upstreams.md §6). Outbound differences: every
 * local server reads {@code max_tokens}; Ollama ignores {@code tool_choice} and
 * {@code parallel_tool_calls} and forces temperature and top_p to 1.0 when omitted, so Qwen's
 * recommended sampling is always sent; vLLM, SGLang and llama.cpp switch thinking through
 * {@code chat_template_kwargs.enable_thinking}. Inbound, raw {@code <think>} and {@code <tool_call>}
 * markup in the text is split out, and an answer that leaked into the reasoning field while
 * thinking was off is read as text.
 */
public final class CompatCodec {
  private CompatCodec() {
  }

  public static ChatOptions options(Dialect dialect) {
    return switch (dialect) {
      case OLLAMA, OLLAMA_NATIVE -> new ChatOptions("max_tokens", false, false, false, "", false);
      case VLLM, SGLANG, LLAMACPP -> new ChatOptions("max_tokens", true, true, false, "", false);
    };
  }

  public static JsonObject encode(ModelRequest request, Dialect dialect) {
    JsonObject out = ChatCodec.encode(request, options(dialect));
    out.remove("reasoning_effort");
    boolean thinkingOff = request.thinking() != null && !request.thinking().isOn();
    switch (dialect) {
      case OLLAMA, OLLAMA_NATIVE -> {
        if (request.temperature() == null) {
          out.put("temperature", thinkingOff ? 0.7 : 0.6);
        }
        if (request.topP() == null) {
          out.put("top_p", thinkingOff ? 0.8 : 0.95);
        }
        if (thinkingOff) {
          out.put("reasoning_effort", "none");
        } else if (request.effort() != null) {
          out.put("reasoning_effort", ollamaEffort(request.effort()));
        }
      }
      case VLLM, SGLANG, LLAMACPP -> {
        if (request.thinking() != null) {
          out.put("chat_template_kwargs", new JsonObject().put("enable_thinking", !thinkingOff));
        }
        if (request.topK() != null) {
          out.put("top_k", request.topK());
        }
        if (dialect == Dialect.SGLANG) {
          out.put("separate_reasoning", true);
        }
      }
    }
    return out;
  }

  /** Ollama accepts only high, medium, low and none. */
  private static String ollamaEffort(String effort) {
    return switch (effort) {
      case "high", "xhigh", "max" -> "high";
      case "low", "minimal" -> "low";
      default -> "medium";
    };
  }

  public static ModelResponse decode(ModelRequest request, Buffer body) {
    return normalise(request, ChatCodec.decode(request, body));
  }

  /**
   * Splits markup out of text blocks and applies the reasoning-leak fallback; returns the
   * response unchanged when there was nothing to do.
   */
  public static ModelResponse normalise(ModelRequest request, ModelResponse response) {
    boolean markup = false;
    for (ContentBlock block : response.content()) {
      if (block instanceof ContentBlock.Text text && (text.text().contains("<think>")
          || text.text().contains("</think>") || text.text().contains("<tool_call>"))) {
        markup = true;
      }
    }
    if (!markup) {
      return leakedAnswer(request, response);
    }
    StreamAccumulator acc = new StreamAccumulator();
    StreamWriter writer = new StreamWriter().to(acc::accept);
    TaggedTextHandler handler = new TaggedTextHandler(
        response.hasToolUse() ? Set.of() : toolNames(request.tools()), idSeed(request));
    writer.start(response.id(), response.model(), response.usage());
    for (ContentBlock block : response.content()) {
      if (block instanceof ContentBlock.Text text) {
        handler.text(openedThink(text.text()), writer);
        handler.flush(writer);
      } else if (block instanceof ContentBlock.Thinking thinking) {
        writer.thinking(thinking.thinking());
      } else if (block instanceof ContentBlock.ToolUse use) {
        writer.toolCall(use.id(), use.name(), use.input());
      }
    }
    writer.finish(response.stopReason(), response.usage());
    ModelResponse split = acc.result();
    return leakedAnswer(request, new ModelResponse(split.id(), split.model(), split.content(), split.stopReason(),
        response.stopSequence(), split.usage()));
  }

  /**
   * Templates that open {@code <think>} in the prompt make the model answer with only the closing
   * tag; the text before it is reasoning.
   */
  private static String openedThink(String text) {
    int close = text.indexOf("</think>");
    int open = text.indexOf("<think>");
    return close >= 0 && (open < 0 || open > close) ? "<think>" + text : text;
  }

  /** With thinking off, some reasoning parsers put the whole answer in the reasoning field. */
  private static ModelResponse leakedAnswer(ModelRequest request, ModelResponse response) {
    ThinkingConfig thinking = request.thinking();
    boolean off = thinking != null && !thinking.isOn();
    if (!off || response.content().size() != 1 || !(response.content().get(0) instanceof ContentBlock.Thinking t)) {
      return response;
    }
    return new ModelResponse(response.id(), response.model(), List.of(new ContentBlock.Text(t.thinking())),
        response.stopReason(), response.stopSequence(), response.usage());
  }

  /** See {@link TaggedTextHandler}: differs per turn of one conversation. */
  static String idSeed(ModelRequest request) {
    return "/" + request.messages().size();
  }

  static Set<String> toolNames(List<ToolDefinition> tools) {
    Set<String> names = new LinkedHashSet<>();
    for (ToolDefinition tool : tools) {
      names.add(tool.name());
    }
    return names;
  }
}
