package dev.junction.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Tenant-owned mutable documents of one kind each (environments; later vaults and memory stores).
 * Documents are stored in their API shape; {@code archived_at} is mirrored to an indexed column.
 */
public interface DocumentStore {

  Future<JsonObject> createDocument(String kind, String tenant, JsonObject doc, long createdAtMillis);

  /**
   * Applies a change inside the write transaction. The change may throw {@link StoreConflictException}
   * (or any runtime exception) to abort without writing.
   *
   * @return the changed document, or empty if no such document
   */
  Future<Optional<JsonObject>> updateDocument(String kind, String tenant, String id, UnaryOperator<JsonObject> change);

  Future<Optional<JsonObject>> document(String kind, String tenant, String id);

  Future<Page<JsonObject>> listDocuments(String kind, String tenant, ListQuery query);

  /** @return whether a document was deleted */
  Future<Boolean> deleteDocument(String kind, String tenant, String id);
}
