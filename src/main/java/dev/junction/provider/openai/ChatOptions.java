package dev.junction.provider.openai;

/**
 * How one server flavour of Chat Completions differs on the way out.
 *
 * @param maxTokensField {@code max_completion_tokens} (OpenAI) or {@code max_tokens} (local servers)
 * @param toolChoice whether the server reads {@code tool_choice}
 * @param parallelToolCalls whether the server reads {@code parallel_tool_calls}
 * @param safetyIdentifier whether {@code metadata.user_id} is sent as {@code safety_identifier}
 *     (OpenAI's field for an opaque end-user id; its {@code metadata} field is refused with 400
 *     unless {@code store} is on, and the gateway does not store completions)
 * @param emptyAssistantContent the {@code content} of an assistant turn with only tool calls: null
 *     for OpenAI, "" for servers whose chat templates break on null
 * @param documents whether base64 PDF documents may be sent as {@code file} parts
 */
public record ChatOptions(String maxTokensField, boolean toolChoice, boolean parallelToolCalls, boolean safetyIdentifier,
    String emptyAssistantContent, boolean documents) {
  public static final ChatOptions OPENAI = new ChatOptions("max_completion_tokens", true, true, true, null, true);
}
