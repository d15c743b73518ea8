import type { ResolvedAttribute, SchemaRegistry } from "@scimkit/core";
import { type AttributePath, type ComparisonOperator, instant } from "@scimkit/filter";

/**
 * The positional parameters of one SQL statement: {@link SqlParams.add} stores a value and returns its
 * placeholder (`$1`, `$2`, …). Filter values only ever reach SQL this way, never as text.
 *
 * @example
 * const params = new SqlParams();
 * const sql = `tenant = ${params.add("acme")}`; // "tenant = $1"; params.values = ["acme"]
 */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * How `filterToSql` and `sortKeySql` (sql-filter.ts) see the table.
 *
 * @example
 * const options: SqlFilterOptions = { resourceType: "User", registry, params: new SqlParams() };
 */
export interface SqlFilterOptions {
  readonly resourceType: string;
  readonly registry: SchemaRegistry;
  readonly params: SqlParams;
  /** Alias of the resources table in the statement; default `r`. */
  readonly alias?: string;
  /** Prefix of the helper functions {@link schemaSql} creates; default `scim_`. */
  readonly prefix?: string;
  /**
   * `"schema"` (default) trusts that stored data has the schema's shape, as validateResource makes it:
   * attribute names in schema case and arrays only in multi-valued attributes. That keeps conditions on
   * single-valued attributes in the form the expression indexes serve. `"any"` reproduces compileFilter
   * on arbitrary JSON too (names in any case, an array anywhere), at the cost of those indexes.
   */
  readonly shapes?: "schema" | "any";
  /** As compileFilter's option: `"reject"` (default) → 400 invalidFilter, `"absent"` → no value. */
  readonly unknownAttributes?: "reject" | "absent";
  /** Nesting limit (default the parser's, 64). */
  readonly maxDepth?: number;
}

/** A value the SQL can look at: a jsonb expression, a text or timestamptz column, or nothing. */
export type Source =
  | { readonly kind: "json"; readonly sql: string; readonly text: string }
  | { readonly kind: "text"; readonly sql: string }
  | { readonly kind: "instant"; readonly sql: string }
  | { readonly kind: "missing" };

export interface Step {
  readonly name: string;
  /** The value reached by this step may be an array whose elements are tested (any-match). */
  readonly multi: boolean;
}

export type Check =
  | {
      readonly kind: "string";
      readonly op: ComparisonOperator;
      readonly value: string;
      readonly caseExact: boolean;
    }
  | { readonly kind: "number"; readonly op: ComparisonOperator; readonly value: number }
  | { readonly kind: "boolean"; readonly op: ComparisonOperator; readonly value: boolean }
  | { readonly kind: "instant"; readonly op: ComparisonOperator; readonly ms: number };

export interface Parent {
  readonly resolved: ResolvedAttribute;
  readonly label: string;
  /** The element of the value path, a jsonb expression. */
  readonly element: Source & { kind: "json" };
}

export const SQL_OPS: Readonly<Record<ComparisonOperator, string>> = {
  eq: "=",
  ne: "<>",
  gt: ">",
  ge: ">=",
  lt: "<",
  le: "<=",
  co: "LIKE",
  sw: "LIKE",
  ew: "LIKE",
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** xsd:dateTime to epoch milliseconds exactly as compileFilter reads it (the same function); NaN when invalid. */
export const instantOf = instant;

/** A SQL string literal for a name from the schema registry (never for a filter value). */
export function literal(text: string): string {
  if (text.includes("\u0000")) throw new Error("a schema name cannot contain NUL");
  return `'${text.replace(/'/g, "''")}'`;
}

/** Checks a table/function prefix before it is used as part of an identifier. */
export function checkPrefix(prefix: string): string {
  if (!IDENTIFIER.test(prefix) || prefix.length > 40)
    throw new Error(`invalid SQL prefix "${prefix}": use letters, digits and "_"`);
  return prefix;
}

export function label(path: AttributePath): string {
  return `${path.uri === undefined ? "" : `${path.uri}:`}${path.attribute}${path.subAttribute === undefined ? "" : `.${path.subAttribute}`}`;
}

export function likePattern(op: ComparisonOperator, value: string): string {
  const escaped = value.replace(/[\\%_]/g, "\\$&");
  return op === "co" ? `%${escaped}%` : op === "sw" ? `${escaped}%` : `%${escaped}`;
}

/** The text of a string-typed jsonb value (NULL for any other JSON type), lower-cased unless caseExact. */
export function stringOf(source: Source & { kind: "json" }, caseExact: boolean): string {
  const text = caseExact ? source.text : `lower(${source.text})`;
  return `(CASE WHEN jsonb_typeof(${source.sql}) = 'string' THEN ${text} END) COLLATE "C"`;
}
