/**
 * The Anthropic Messages adapter. The canonical format is Anthropic's, so translation is mostly
 * cleaning on the way out (empty text blocks, foreign reasoning, tool-id charset) and a pass-through
 * of the stream on the way in, plus Anthropic's error taxonomy and version and beta headers.
 */
package dev.junction.provider.anthropic;
