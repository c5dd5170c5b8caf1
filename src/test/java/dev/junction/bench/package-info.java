/**
 * JMH benchmarks; each class documents its run command, and docs/benchmarks.md holds the figures.
 */
package dev.junction.bench;
