/**
 * The southbound provider layer: canonical model types (Anthropic Messages content blocks are the
 * canonical format), the canonical stream, the {@link dev.junction.provider.FailureClass} taxonomy,
 * the {@link dev.junction.provider.ProviderClient} SPI, prices and provider configuration. Adapters
 * for each wire protocol live in sub-packages and translate at the edge; nothing here knows about
 * sessions, routing or the northbound HTTP API.
 */
package dev.junction.provider;
