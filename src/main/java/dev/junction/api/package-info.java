/**
 * The northbound HTTP surface: the MA resources (agents, environments, sessions, events and their SSE
 * stream), the model-proxy endpoints ({@code /v1/messages}, {@code /v1/chat/completions},
 * {@code /v1/models}), health, and the one error mapper that turns every failure into the caller's
 * error envelope. A handler validates input, calls {@code session}, {@code store} or {@code routing},
 * and writes the response in its last step; it knows nothing of upstream wire formats (translation
 * between caller protocols and the canonical form lives in {@code provider}).
 */
package dev.junction.api;
