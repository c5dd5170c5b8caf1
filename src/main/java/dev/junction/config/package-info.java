/**
 * Gateway configuration: {@code config/junction.yaml} read into immutable records, {@code env:NAME}
 * references resolved against an injected environment, the {@code JUNCTION_*} overrides applied, and
 * every problem reported as a {@link dev.junction.config.ConfigException} naming the file, the key and
 * the fix.
 */
package dev.junction.config;
