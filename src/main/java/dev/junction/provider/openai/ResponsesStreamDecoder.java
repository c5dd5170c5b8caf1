package dev.junction.provider.openai;

import dev.junction.provider.ContentBlock;
import dev.junction.provider.FailureClass;
import dev.junction.provider.ProviderException;
import dev.junction.provider.ToolIds;
import dev.junction.provider.Usage;
import dev.junction.provider.wire.SseEvent;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Responses stream events to the canonical stream. Text and reasoning summaries stream as deltas;
 * a function call's argument fragments are buffered per {@code item_id} and the call is written
 * whole at {@code response.output_item.done}, taking the item's final {@code arguments} when
 * present. The stream ends at a terminal event ({@code response.completed}, {@code .incomplete},
 * {@code .failed}); there is no {@code [DONE]}. An {@code error} event fails the stream.
 */
public final class ResponsesStreamDecoder extends SseStreamDecoder {
  private final Map<String, Call> calls = new HashMap<>();
  private String responseId;

  private static final class Call {
    final String callId;
    final String name;
    final StringBuilder arguments = new StringBuilder();

    Call(String callId, String name) {
      this.callId = callId;
      this.name = name;
    }
  }

  public ResponsesStreamDecoder() {
    super("Responses stream ended before a terminal event", "Responses stream event is invalid: ");
  }

  @Override
  void decode(SseEvent event) {
    JsonObject data = new JsonObject(event.data());
    dispatch(data.getString("type", event.event() == null ? "" : event.event()), data);
  }

  private void dispatch(String type, JsonObject data) {
    switch (type) {
      case "response.created", "response.in_progress" -> {
        JsonObject response = data.getJsonObject("response", new JsonObject());
        responseId = response.getString("id");
        writer.start(responseId, response.getString("model"), Usage.ZERO);
      }
      case "response.output_text.delta" -> writer.text(data.getString("delta", ""));
      case "response.refusal.delta" -> writer.text(data.getString("delta", ""));
      case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" ->
          writer.thinking(data.getString("delta", ""));
      case "response.output_item.added" -> {
        JsonObject item = data.getJsonObject("item", new JsonObject());
        if ("function_call".equals(item.getString("type"))) {
          Call call = new Call(item.getString("call_id"), item.getString("name"));
          call.arguments.append(item.getString("arguments", ""));
          calls.put(item.getString("id"), call);
        }
      }
      case "response.function_call_arguments.delta" -> {
        Call call = calls.get(data.getString("item_id"));
        if (call == null) {
          throw ProviderException.of(FailureClass.MALFORMED, "arguments for unknown item " + data.getString("item_id"));
        }
        call.arguments.append(data.getString("delta", ""));
      }
      case "response.output_item.done" -> {
        JsonObject item = data.getJsonObject("item", new JsonObject());
        if ("reasoning".equals(item.getString("type"))) {
          ContentBlock.Thinking thinking = ResponsesCodec.thinkingOf(item);
          if (thinking != null && thinking.signature() != null) {
            // the summary (if any) streamed as deltas; the replayable state arrives with the item
            writer.signature(thinking.signature());
          } else {
            writer.closeBlock();
          }
        }
        if ("function_call".equals(item.getString("type"))) {
          Call call = calls.remove(item.getString("id"));
          String arguments = item.getString("arguments");
          String callId = item.getString("call_id", call == null ? null : call.callId);
          String name = item.getString("name", call == null ? null : call.name);
          if (arguments == null) {
            arguments = call == null ? "" : call.arguments.toString();
          }
          writer.toolCall(callId == null ? ToolIds.synthesize(responseId, data.getInteger("output_index", 0))
              : ToolIds.toAnthropic(callId), name, arguments);
        }
      }
      case "response.completed", "response.incomplete" -> {
        JsonObject response = data.getJsonObject("response", new JsonObject());
        if (!writer.started()) {
          writer.start(response.getString("id"), response.getString("model"), Usage.ZERO);
        }
        writer.finish(ResponsesCodec.stopReason(response), ResponsesCodec.usage(response.getJsonObject("usage")));
      }
      case "response.failed" -> writer.fail(OpenAiErrors.classifyEvent(
          data.getJsonObject("response", new JsonObject()).getJsonObject("error")));
      case "error" -> writer.fail(OpenAiErrors.classifyEvent(data));
      default -> {
        // content_part, *.done and newer event types carry nothing the deltas did not
      }
    }
  }
}
