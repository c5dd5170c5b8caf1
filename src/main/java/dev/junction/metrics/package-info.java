/**
 * Metrics owns the Prometheus registry and Junction's metric families: model attempts and their
 * duration by target and outcome, time to first token, breaker state, failovers and hedges,
 * tokens and cost by target and tenant, and in-flight attempts. Label values come from bounded
 * sets (configured targets, routes, tenants, failure classes); past a cap a value becomes
 * {@code other}, so a caller cannot grow the exposition without bound.
 */
package dev.junction.metrics;
