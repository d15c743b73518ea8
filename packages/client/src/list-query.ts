/** The query of `list` and `search` as URL parameters or a SearchRequest body (RFC 7644 §3.4.2, §3.4.3). */
import { SEARCH_REQUEST_URN } from "@scimkit/core";
import {
  type AnyAttributePaths,
  type Filter,
  type FilterBuilder,
  filterBuilder,
  stringifyFilter,
} from "@scimkit/filter";
import type { FilterInput, ListQuery, ProjectionQuery } from "./types.js";

export function projection(params: URLSearchParams, query: ProjectionQuery): void {
  for (const key of ["attributes", "excludedAttributes"] as const) {
    const value = query[key];
    if (value === undefined) continue;
    params.set(key, typeof value === "string" ? value : value.join(","));
  }
}

const anyFilter = filterBuilder();

/** The filter text a {@link FilterInput} stands for. */
export function filterText(filter: FilterInput<never> | FilterInput): string {
  if (typeof filter === "string") return filter;
  const tree =
    typeof filter === "function"
      ? (filter as (b: FilterBuilder<AnyAttributePaths>) => Filter)(anyFilter)
      : filter;
  return stringifyFilter(tree);
}

export function listParams(query: ListQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.filter !== undefined) params.set("filter", filterText(query.filter));
  if (query.startIndex !== undefined) params.set("startIndex", String(query.startIndex));
  if (query.count !== undefined) params.set("count", String(query.count));
  if (query.cursor !== undefined) params.set("cursor", query.cursor);
  if (query.sortBy !== undefined) params.set("sortBy", query.sortBy);
  if (query.sortOrder !== undefined) params.set("sortOrder", query.sortOrder);
  projection(params, query);
  return params;
}

export function searchBody(query: ListQuery): Record<string, unknown> {
  const body: Record<string, unknown> = { schemas: [SEARCH_REQUEST_URN] };
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    body[key] =
      key === "filter"
        ? filterText(value as FilterInput)
        : (key === "attributes" || key === "excludedAttributes") && typeof value === "string"
          ? value.split(",")
          : value;
  }
  return body;
}
