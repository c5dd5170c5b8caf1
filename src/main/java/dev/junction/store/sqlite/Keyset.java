package dev.junction.store.sqlite;

import dev.junction.store.ListQuery;
import dev.junction.store.Page;
import dev.junction.store.PageKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Keyset pagination over (sortColumn, idColumn): pages never skip or repeat rows when rows are added,
 * and each page costs one index range scan whatever its depth.
 */
final class Keyset {
  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private Keyset() {
  }

  /**
   * @param select  "SELECT ... FROM t WHERE <filters>" with positional parameters
   * @param params  values for those parameters
   * @param keyOf   maps an item back to its key for cursors
   */
  static <T> Page<T> page(Connection c, String select, List<Object> params, String sortCol, String idCol,
                          ListQuery q, RowMapper<T> mapper, java.util.function.Function<T, PageKey> keyOf)
      throws SQLException {
    boolean backward = q.before() != null;
    // Scanning backward through a descending list is an ascending scan, and vice versa.
    boolean scanDescending = q.descending() != backward;
    StringBuilder sql = new StringBuilder(select);
    List<Object> args = new ArrayList<>(params);
    PageKey from = backward ? q.before() : q.after();
    if (from != null) {
      sql.append(" AND (").append(sortCol).append(", ").append(idCol).append(scanDescending ? ") < (?, ?)" : ") > (?, ?)");
      args.add(from.sortKey());
      args.add(from.id());
    }
    String dir = scanDescending ? " DESC" : " ASC";
    sql.append(" ORDER BY ").append(sortCol).append(dir).append(", ").append(idCol).append(dir).append(" LIMIT ?");
    args.add(q.limit() + 1);
    List<T> items = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          items.add(mapper.map(rs));
        }
      }
    }
    boolean more = items.size() > q.limit();
    if (more) {
      items.remove(items.size() - 1);
    }
    if (backward) {
      Collections.reverse(items);
    }
    if (items.isEmpty()) {
      return new Page<>(items, null, null);
    }
    PageKey first = keyOf.apply(items.get(0));
    PageKey last = keyOf.apply(items.get(items.size() - 1));
    PageKey next = backward ? last : (more ? last : null);
    PageKey prev = backward ? (more ? first : null) : (from != null ? first : null);
    return new Page<>(List.copyOf(items), next, prev);
  }
}
