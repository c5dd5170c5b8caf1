package dev.junction.store;

import io.vertx.core.json.JsonObject;

/**
 * One row of a store as export and import move it: ids, tenants, millisecond timestamps and documents
 * exactly as stored, so a store loaded from another's records answers every API call the same way.
 * Agent versions and events carry no tenant: they belong to their agent or session.
 */
public sealed interface StoreRecord {

  /**
   * An agent's head row.
   *
   * @param latestVersion the version the API returns by default
   * @param archivedAt    epoch ms, or null while not archived
   */
  record Agent(String id, String tenant, long latestVersion, long createdAt, Long archivedAt) implements StoreRecord {
  }

  /** One immutable version of an agent, in its API shape. */
  record AgentVersion(String agentId, long version, JsonObject doc) implements StoreRecord {
  }

  /**
   * A tenant-owned document of one kind (an environment, for now).
   *
   * @param kind as passed to {@link DocumentStore}, e.g. {@code environment}
   */
  record Document(String id, String kind, String tenant, long createdAt, Long archivedAt, JsonObject doc)
      implements StoreRecord {
  }

  /**
   * A session row; its document carries the agent snapshot and the private bookkeeping fields.
   *
   * @param lastSeq the sequence of its last event (0 with none)
   */
  record Session(String id, String tenant, String agentId, long agentVersion, String status, long createdAt,
                 Long archivedAt, long lastSeq, JsonObject doc) implements StoreRecord {
  }

  /** One event of a session's log. */
  record Event(String sessionId, long seq, String id, String type, long processedAt, JsonObject doc)
      implements StoreRecord {
  }
}
