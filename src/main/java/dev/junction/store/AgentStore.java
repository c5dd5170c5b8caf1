package dev.junction.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Optional;
import java.util.function.UnaryOperator;

/** Agents and their immutable versions. Documents are the API shape of one version. */
public interface AgentStore {

  /**
   * Inserts a new agent at version 1.
   *
   * @param tenant owner
   * @param agent  the full agent document; must carry {@code id}, {@code version: 1}, {@code created_at}
   * @param createdAtMillis creation time used for ordering
   * @return the stored document
   */
  Future<JsonObject> createAgent(String tenant, JsonObject agent, long createdAtMillis);

  /**
   * Writes the next version. The change runs inside the write transaction on the current latest
   * version and may throw {@link StoreConflictException} to abort without writing; returning the
   * same instance means "no change" and writes nothing.
   *
   * @param tenant owner
   * @param id     agent id
   * @param change maps the latest version to the next (version and timestamps are set by the caller)
   * @return the new latest version, or empty if no such agent
   */
  Future<Optional<JsonObject>> updateAgent(String tenant, String id, UnaryOperator<JsonObject> change);

  /**
   * Marks the agent archived; idempotent.
   *
   * @return the latest version with {@code archived_at} set, or empty if no such agent
   */
  Future<Optional<JsonObject>> archiveAgent(String tenant, String id, long archivedAtMillis, String archivedAt);

  /**
   * @param version a version number, or null for the latest
   * @return the version's document with the agent's current {@code archived_at}, or empty
   */
  Future<Optional<JsonObject>> agent(String tenant, String id, Long version);

  /** Lists the latest version of each agent. */
  Future<Page<JsonObject>> listAgents(String tenant, ListQuery query);

  /** Lists every version of one agent, newest first unless the query says otherwise; empty page if none. */
  Future<Optional<Page<JsonObject>>> listAgentVersions(String tenant, String id, ListQuery query);
}
