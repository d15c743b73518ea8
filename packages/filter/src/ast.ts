/**
 * An attribute path as it was written (RFC 7644 §3.10): an optional schema URI, an attribute name and an
 * optional sub-attribute name. The parser keeps the case the client used; {@link compileFilter} resolves
 * names case-insensitively against the schemas. Absent parts are absent keys, never `undefined`.
 *
 * @example
 * const path: AttributePath = { uri: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", attribute: "manager", subAttribute: "value" };
 */
export interface AttributePath {
  /** The schema URI before the last ":" (e.g. `urn:ietf:params:scim:schemas:core:2.0:User`). */
  readonly uri?: string;
  /** The attribute name (ATTRNAME of RFC 7644 §3.4.2.2, or `$ref`). */
  readonly attribute: string;
  /** The sub-attribute name after ".". */
  readonly subAttribute?: string;
}

/**
 * The comparison operators of RFC 7644 §3.4.2.2 Table 3, in canonical lower case.
 *
 * @example
 * const op: ComparisonOperator = "sw";
 */
export type ComparisonOperator = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "lt" | "ge" | "le";

/**
 * Every {@link ComparisonOperator}, in RFC order.
 *
 * @example
 * COMPARISON_OPERATORS.includes("co"); // true
 */
export const COMPARISON_OPERATORS: readonly ComparisonOperator[] = Object.freeze([
  "eq",
  "ne",
  "co",
  "sw",
  "ew",
  "gt",
  "lt",
  "ge",
  "le",
]);

/**
 * A comparison value: the JSON `false / null / true / number / string` of the `compValue` rule.
 *
 * @example
 * const value: ComparisonValue = "2011-05-13T04:42:34Z";
 */
export type ComparisonValue = string | number | boolean | null;

/**
 * `attrPath compareOp compValue`, e.g. `userName eq "bjensen"`.
 *
 * @example
 * const f: ComparisonFilter = { op: "eq", path: { attribute: "userName" }, value: "bjensen" };
 */
export interface ComparisonFilter {
  readonly op: ComparisonOperator;
  readonly path: AttributePath;
  readonly value: ComparisonValue;
}

/**
 * `attrPath pr`: the attribute has a non-empty value.
 *
 * @example
 * const f: PresentFilter = { op: "pr", path: { attribute: "title" } };
 */
export interface PresentFilter {
  readonly op: "pr";
  readonly path: AttributePath;
}

/**
 * A chain of `and` or of `or`, flattened: `a and b and c` is one node with three filters. A node with
 * two or more filters is what the parser produces; parentheses the text had around a same-operator
 * chain are kept as a nested node (`(a and b) and c`), so stringify → parse is exact.
 *
 * @example
 * const f: LogicalFilter = { op: "or", filters: [{ op: "pr", path: { attribute: "title" } }, { op: "pr", path: { attribute: "nickName" } }] };
 */
export interface LogicalFilter {
  readonly op: "and" | "or";
  readonly filters: readonly [Filter, Filter, ...Filter[]];
}

/**
 * `not (FILTER)`.
 *
 * @example
 * const f: NotFilter = { op: "not", filter: { op: "pr", path: { attribute: "title" } } };
 */
export interface NotFilter {
  readonly op: "not";
  readonly filter: Filter;
}

/**
 * `attrPath[valFilter]`: every condition of `filter` must hold for one and the same value of the
 * complex attribute `path`; paths inside `filter` name its sub-attributes.
 *
 * @example
 * const f: ValuePathFilter = {
 *   op: "valuePath",
 *   path: { attribute: "emails" },
 *   filter: { op: "eq", path: { attribute: "type" }, value: "work" },
 * };
 */
export interface ValuePathFilter {
  readonly op: "valuePath";
  readonly path: AttributePath;
  readonly filter: Filter;
}

/**
 * A parsed SCIM filter (RFC 7644 §3.4.2.2): one tagged union, discriminated by `op`. {@link parseFilter}
 * and {@link filterBuilder} both produce it; walk it with an exhaustive `switch (filter.op)`.
 *
 * @example
 * function count(f: Filter): number {
 *   switch (f.op) {
 *     case "and": case "or": return f.filters.reduce((n, c) => n + count(c), 0);
 *     case "not": case "valuePath": return count(f.filter);
 *     default: return 1;
 *   }
 * }
 */
export type Filter = ComparisonFilter | PresentFilter | LogicalFilter | NotFilter | ValuePathFilter;

/**
 * A PATCH operation path (RFC 7644 §3.5.2 Figure 7: `PATH = attrPath / valuePath [subAttr]`).
 *
 * @example
 * parsePath('members[value eq "2819c223"].displayName');
 * // { path: { attribute: "members" }, filter: { op: "eq", path: { attribute: "value" }, value: "2819c223" }, subAttribute: "displayName" }
 */
export interface Path {
  /** The attribute the operation targets. */
  readonly path: AttributePath;
  /** The `[valFilter]` selecting values of a multi-valued complex attribute. */
  readonly filter?: Filter;
  /** The sub-attribute after `]`, e.g. `streetAddress` in `addresses[type eq "work"].streetAddress`. */
  readonly subAttribute?: string;
}
