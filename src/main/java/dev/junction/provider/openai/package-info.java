/**
 * OpenAI adapters: Chat Completions and Responses. Both translate canonical Anthropic-shaped turns
 * to OpenAI's shapes and back, decide tool use from the presence of tool calls rather than
 * {@code finish_reason}, buffer streamed tool arguments per call, and convert OpenAI's inclusive
 * cached-token counts to the canonical exclusive form. The Chat codec is shared with the
 * OpenAI-compatible local adapter.
 */
package dev.junction.provider.openai;
