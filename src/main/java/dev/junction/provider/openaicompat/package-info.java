/**
 * The adapter for local OpenAI-compatible servers running Qwen (vLLM, Ollama, llama.cpp, SGLang).
 * It reuses the Chat codec and adds each server's dialect: which request fields it reads, where it
 * puts reasoning ({@code reasoning}, {@code reasoning_content}, {@code thinking} or raw
 * {@code <think>} text), Hermes/XML {@code <tool_call>} text a server left unparsed, Ollama's
 * native NDJSON protocol and readiness probes.
 */
package dev.junction.provider.openaicompat;
