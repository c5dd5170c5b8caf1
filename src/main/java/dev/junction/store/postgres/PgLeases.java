package dev.junction.store.postgres;

import dev.junction.store.SessionKey;
import dev.junction.store.SessionLeases;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Session leases in the {@code session_leases} table. Taking a lease is one upsert that succeeds only
 * when the row is missing, expired or already this node's, so two nodes racing for a session cannot
 * both win. A runner's writes carry its node as the lease holder, and the commit checks it under a
 * share lock on the lease row: a takeover waits for a write already in progress, and a write after a
 * takeover fails instead of interleaving with the new node's turn.
 */
final class PgLeases implements SessionLeases {
  private static final String ACQUIRE = "INSERT INTO session_leases (session_id, tenant, node, expires_at)"
      + " VALUES ($1, $2, $3, $4) ON CONFLICT (session_id) DO UPDATE SET node = EXCLUDED.node, expires_at = EXCLUDED.expires_at"
      + " WHERE session_leases.node = EXCLUDED.node OR session_leases.expires_at < $5 RETURNING node";

  private final Pool pool;
  private final String node;

  PgLeases(Pool pool, String node) {
    this.pool = pool;
    this.node = node;
  }

  @Override
  public String node() {
    return node;
  }

  @Override
  public Future<Boolean> acquire(String tenant, String sessionId, long nowMillis, long ttlMillis) {
    return pool.preparedQuery(ACQUIRE).execute(Tuple.of(sessionId, tenant, node, nowMillis + ttlMillis, nowMillis))
        .map(rows -> rows.size() == 1);
  }

  @Override
  public Future<Void> release(String sessionId) {
    return pool.preparedQuery("DELETE FROM session_leases WHERE session_id = $1 AND node = $2")
        .execute(Tuple.of(sessionId, node)).mapEmpty();
  }

  @Override
  public Future<Set<String>> renew(Set<String> held, long nowMillis, long ttlMillis) {
    if (held.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return pool.preparedQuery("UPDATE session_leases SET expires_at = $1 WHERE node = $2 AND session_id = ANY($3)"
            + " RETURNING session_id")
        .execute(Tuple.of(nowMillis + ttlMillis, node, held.toArray(new String[0])))
        .map(rows -> {
          Set<String> lost = new HashSet<>(held);
          for (Row r : rows) {
            lost.remove(r.getString(0));
          }
          return lost;
        });
  }

  @Override
  public Future<List<SessionKey>> orphaned(long nowMillis) {
    return pool.preparedQuery("SELECT s.tenant, s.id FROM sessions s LEFT JOIN session_leases l ON l.session_id = s.id"
            + " WHERE (l.session_id IS NULL AND s.status IN ('running', 'rescheduling')) OR l.expires_at < $1 LIMIT 1000")
        .execute(Tuple.of(nowMillis))
        .map(rows -> {
          List<SessionKey> out = new ArrayList<>(rows.size());
          for (Row r : rows) {
            out.add(new SessionKey(r.getString(0), r.getString(1)));
          }
          return out;
        });
  }
}
