package dev.junction.store.postgres;

import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** A statement built piece by piece: each {@link #param} appends the next {@code $n} placeholder. */
final class PgQuery {
  private final StringBuilder sql;
  private final List<Object> params = new ArrayList<>();

  PgQuery(String start) {
    this.sql = new StringBuilder(start);
  }

  PgQuery sql(String text) {
    sql.append(text);
    return this;
  }

  PgQuery param(Object value) {
    params.add(value);
    sql.append('$').append(params.size());
    return this;
  }

  /** Appends {@code = ANY($n)} with the values as a text array: one placeholder whatever their number. */
  PgQuery anyOf(Collection<String> values) {
    return sql(" = ANY(").param(values.toArray(new String[0])).sql(")");
  }

  String text() {
    return sql.toString();
  }

  Tuple tuple() {
    return Tuple.wrap(new ArrayList<>(params));
  }
}
