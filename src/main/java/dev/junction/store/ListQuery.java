package dev.junction.store;

import java.util.List;

/**
 * What a list call asks for. Filters that do not apply to a kind are ignored by it.
 *
 * @param limit           page size, at least 1
 * @param descending      newest (or highest sequence) first
 * @param after           start strictly after this key (forward paging), or null
 * @param before          end strictly before this key (backward paging), or null
 * @param includeArchived whether archived objects are listed
 * @param range           bounds on the sort key (creation or processing time, epoch ms)
 * @param agentId         sessions: only those of this agent
 * @param agentVersion    sessions: only those pinned to this version
 * @param statuses        sessions: only these statuses (empty: all)
 * @param types           events: only these types (empty: all)
 */
public record ListQuery(int limit, boolean descending, PageKey after, PageKey before, boolean includeArchived,
                        TimeRange range, String agentId, Long agentVersion, List<String> statuses,
                        List<String> types) {

  public static ListQuery of(int limit, boolean descending) {
    return new ListQuery(limit, descending, null, null, false, TimeRange.ALL, null, null, List.of(), List.of());
  }
}
