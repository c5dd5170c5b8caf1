/**
 * The northbound HTTP surface: the MA resources (agents, environments, sessions, events and their SSE
 * stream), health, and the one error mapper that turns every failure into the MA error envelope. A
 * handler validates input, calls {@code session} or {@code store}, and writes the response in its last
 * step; it knows nothing of upstream wire formats.
 */
package dev.junction.api;
