package dev.junction.store.postgres;

import dev.junction.store.ListQuery;
import dev.junction.store.Page;
import dev.junction.store.PageKey;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Keyset pagination over (sort column, id column), the same cursors as the embedded store: a page
 * never skips or repeats rows when rows are added, and costs one index range scan whatever its depth.
 */
final class PgKeyset {
  private PgKeyset() {
  }

  /**
   * @param query   "SELECT ... FROM t WHERE filters" so far; the key bound, order and limit are appended
   * @param idCol   tie-breaking column, or null when the sort column is unique on its own
   * @param keyOf   maps an item back to its cursor
   */
  static <T> Future<Page<T>> page(SqlClient client, PgQuery query, String sortCol, String idCol, ListQuery q,
                                  Function<Row, T> mapper, Function<T, PageKey> keyOf) {
    boolean backward = q.before() != null;
    // Scanning backward through a descending list is an ascending scan, and vice versa.
    boolean scanDescending = q.descending() != backward;
    PageKey from = backward ? q.before() : q.after();
    String cmp = scanDescending ? " < " : " > ";
    if (from != null && idCol != null) {
      query.sql(" AND (" + sortCol + ", " + idCol + ")" + cmp + "(").param(from.sortKey()).sql(", ").param(from.id()).sql(")");
    } else if (from != null) {
      query.sql(" AND " + sortCol + cmp).param(from.sortKey());
    }
    String dir = scanDescending ? " DESC" : " ASC";
    query.sql(" ORDER BY " + sortCol + dir + (idCol == null ? "" : ", " + idCol + dir) + " LIMIT ").param(q.limit() + 1);
    return client.preparedQuery(query.text()).execute(query.tuple()).map(rows -> {
      List<T> items = new ArrayList<>(rows.size());
      for (Row row : rows) {
        items.add(mapper.apply(row));
      }
      boolean more = items.size() > q.limit();
      if (more) {
        items.remove(items.size() - 1);
      }
      if (backward) {
        Collections.reverse(items);
      }
      if (items.isEmpty()) {
        return new Page<>(List.of(), null, null);
      }
      PageKey first = keyOf.apply(items.get(0));
      PageKey last = keyOf.apply(items.get(items.size() - 1));
      PageKey next = backward ? last : (more ? last : null);
      PageKey prev = backward ? (more ? first : null) : (from != null ? first : null);
      return new Page<>(List.copyOf(items), next, prev);
    });
  }
}
