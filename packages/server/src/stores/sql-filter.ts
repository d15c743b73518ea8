import { type AttributeDefinition, type ResolvedAttribute, ScimError } from "@scimkit/core";
import {
  type AttributePath,
  type ComparisonOperator,
  type ComparisonValue,
  comparisonOperand,
  DEFAULT_MAX_FILTER_DEPTH,
  type Filter,
  SUBSTRING_OPERATORS,
  valueSubAttribute,
} from "@scimkit/filter";
import {
  type Check,
  checkPrefix,
  label,
  likePattern,
  literal,
  type Parent,
  type Source,
  SQL_OPS,
  type SqlFilterOptions,
  type Step,
  stringOf,
} from "./sql-text.js";

class Translator {
  readonly #o: SqlFilterOptions;
  readonly #a: string;
  readonly #fn: string;
  readonly #any: boolean;
  readonly #max: number;
  #aliases = 0;

  constructor(options: SqlFilterOptions) {
    this.#o = options;
    this.#a = checkPrefix(options.alias ?? "r");
    this.#fn = checkPrefix(options.prefix ?? "scim_");
    this.#any = options.shapes === "any";
    this.#max = Math.min(options.maxDepth ?? DEFAULT_MAX_FILTER_DEPTH, 256);
  }

  #param(value: unknown): string {
    return this.#o.params.add(value);
  }

  #child(node: Source & { kind: "json" }, name: string): Source & { kind: "json" } {
    if (this.#any) {
      const sql = `${this.#fn}get(${node.sql}, ${literal(name)})`;
      return { kind: "json", sql, text: `(${sql} #>> '{}')` };
    }
    return {
      kind: "json",
      sql: `(${node.sql} -> ${literal(name)})`,
      text: `(${node.sql} ->> ${literal(name)})`,
    };
  }

  #elementAlias(): Source & { kind: "json" } {
    this.#aliases += 1;
    const sql = `e${this.#aliases}.v`;
    return { kind: "json", sql, text: `(${sql} #>> '{}')` };
  }

  /** `EXISTS` over the elements of `node` when it is an array (never calls jsonb_array_elements on anything else). */
  #someElement(
    node: Source & { kind: "json" },
    test: (element: Source & { kind: "json" }) => string,
    objectsOnly: boolean,
  ): string {
    const element = this.#elementAlias();
    const from = element.sql.slice(0, -2);
    const guard = objectsOnly ? `jsonb_typeof(${element.sql}) = 'object' AND ` : "";
    return `EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(${node.sql}) = 'array' THEN ${node.sql} END) AS ${from}(v) WHERE ${guard}${test(element)})`;
  }

  #meta(): Source {
    const iso = (column: string) =>
      `to_char(${this.#a}.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    const sql = `jsonb_build_object('resourceType', ${this.#param(this.#o.resourceType)}::text, 'created', ${iso("created")}, 'lastModified', ${iso("last_modified")}, 'version', ${this.#version()})`;
    return { kind: "json", sql, text: `(${sql} #>> '{}')` };
  }

  #version(): string {
    return `('W/"' || ${this.#a}.version || '"')`;
  }

  /** The first step(s) on the resource as filters see it: `data` plus `id` and `meta` (memory-store's filterView). */
  #root(steps: readonly Step[], common: boolean): { node: Source; next: number } {
    const first = steps[0] as Step;
    if (common && first.name === "id") return { node: { kind: "text", sql: `${this.#a}.id` }, next: 1 };
    if (common && first.name === "meta") {
      const sub = steps[1];
      if (sub === undefined || steps.length > 2) return { node: this.#meta(), next: 1 };
      switch (sub.name) {
        case "created":
          return { node: { kind: "instant", sql: `${this.#a}.created` }, next: 2 };
        case "lastModified":
          return { node: { kind: "instant", sql: `${this.#a}.last_modified` }, next: 2 };
        case "version":
          return { node: { kind: "text", sql: this.#version() }, next: 2 };
        case "resourceType":
          return { node: { kind: "text", sql: `${this.#param(this.#o.resourceType)}::text` }, next: 2 };
        default:
          return { node: { kind: "missing" }, next: 2 };
      }
    }
    const data: Source & { kind: "json" } = {
      kind: "json",
      sql: `${this.#a}.data`,
      text: `(${this.#a}.data #>> '{}')`,
    };
    return { node: this.#child(data, first.name), next: 1 };
  }

  /** Follows `steps` from `node`, any-matching through arrays where a step's value may be one; `leaf` tests the last value. */
  #descend(
    node: Source,
    steps: readonly Step[],
    i: number,
    leaf: (value: Source, multi: boolean) => string,
  ): string {
    if (i >= steps.length) return leaf(node, (steps[steps.length - 1] as Step).multi);
    if (node.kind !== "json") return "false";
    const name = (steps[i] as Step).name;
    const direct = this.#descend(this.#child(node, name), steps, i + 1, leaf);
    if (!(steps[i - 1] as Step).multi) return direct;
    const each = this.#someElement(
      node,
      (element) => this.#descend(this.#child(element, name), steps, i + 1, leaf),
      true,
    );
    return `(${direct} OR ${each})`;
  }

  #walk(target: Target, parent: Parent | undefined, leaf: (value: Source, multi: boolean) => string): string {
    if (parent)
      return this.#descend(
        this.#child(parent.element, (target.steps[0] as Step).name),
        target.steps,
        1,
        leaf,
      );
    const { node, next } = this.#root(target.steps, target.resolved.schemaId === undefined);
    return this.#descend(node, target.steps, next, leaf);
  }

  #present(value: Source): string {
    switch (value.kind) {
      case "json":
        return `${this.#fn}present(${value.sql})`;
      case "text":
        return `(${value.sql} <> '')`;
      case "instant":
        return "true";
      case "missing":
        return "false";
    }
  }

  #check(value: Source, check: Check): string {
    if (value.kind === "missing") return "false";
    const op = SQL_OPS[check.op];
    switch (check.kind) {
      case "string": {
        let expr: string;
        if (value.kind === "json") expr = stringOf(value, check.caseExact);
        else if (value.kind === "text")
          expr = `(${check.caseExact ? value.sql : `lower(${value.sql})`}) COLLATE "C"`;
        else return "false";
        const operand = check.caseExact ? check.value : check.value.toLowerCase();
        return `(${expr} ${op} ${this.#param(SUBSTRING_OPERATORS.has(check.op) ? likePattern(check.op, operand) : operand)})`;
      }
      case "number":
        if (value.kind !== "json") return "false";
        return `((CASE WHEN jsonb_typeof(${value.sql}) = 'number' THEN (${value.text})::numeric END) ${op} ${this.#param(String(check.value))}::numeric)`;
      case "boolean":
        if (value.kind !== "json") return "false";
        return `((CASE WHEN jsonb_typeof(${value.sql}) = 'boolean' THEN (${value.text})::boolean END) ${op} ${this.#param(check.value)}::boolean)`;
      case "instant": {
        const operand = `${this.#fn}ms(${this.#param(String(check.ms))}::bigint)`;
        if (value.kind === "instant") return `(${value.sql} ${op} ${operand})`;
        if (value.kind !== "json") return "false";
        return `(${this.#fn}instant(CASE WHEN jsonb_typeof(${value.sql}) = 'string' THEN ${value.text} END) ${op} ${operand})`;
      }
    }
  }

  /** compileFilter's atTest: the value, or any element of it when it is an array. */
  #checkAny(value: Source, multi: boolean, check: Check): string {
    const one = this.#check(value, check);
    if (!multi || value.kind !== "json") return one;
    return `(${one} OR ${this.#someElement(value, (element) => this.#check(element, check), false)})`;
  }

  #resolve(path: AttributePath, parent: Parent | undefined): Target | undefined {
    const { registry, resourceType } = this.#o;
    const text = label(path);
    const multi = (definition: AttributeDefinition) => this.#any || definition.multiValued;
    if (parent) {
      if (path.uri !== undefined || path.subAttribute !== undefined) {
        throw ScimError.invalidFilter(
          `inside "${parent.label}[...]" name a sub-attribute of "${parent.label}" (e.g. "${parent.resolved.attribute.subAttributes?.[0]?.name ?? "value"}"), found "${text}"`,
        );
      }
      const resolved = registry.resolve(resourceType, `${parent.resolved.path}.${path.attribute}`);
      if (resolved)
        return {
          resolved,
          steps: [{ name: resolved.names[1] ?? resolved.names[0], multi: multi(resolved.attribute) }],
        };
      if (this.#o.unknownAttributes === "absent") return undefined;
      const subs = parent.resolved.attribute.subAttributes?.map((a) => a.name).join(", ") ?? "none";
      throw ScimError.invalidFilter(
        `"${parent.label}" has no sub-attribute "${path.attribute}" (it has: ${subs})`,
      );
    }
    const resolved = registry.resolve(resourceType, text);
    if (!resolved) {
      if (this.#o.unknownAttributes === "absent") return undefined;
      throw ScimError.invalidFilter(`unknown attribute "${text}" for resource type ${resourceType}`);
    }
    const steps: Step[] = [];
    if (resolved.extension && resolved.schemaId !== undefined)
      steps.push({ name: resolved.schemaId, multi: this.#any });
    const top = resolved.parent ?? resolved.attribute;
    steps.push({ name: resolved.names[0], multi: multi(top) });
    if (resolved.names[1] !== undefined)
      steps.push({ name: resolved.names[1], multi: multi(resolved.attribute) });
    return { resolved, steps };
  }

  #comparison(
    op: ComparisonOperator,
    path: AttributePath,
    value: ComparisonValue,
    parent: Parent | undefined,
  ): string {
    const target = this.#resolve(path, parent);
    const text = label(path);
    if (target === undefined) return value === null && op === "eq" ? "true" : "false";
    let definition = target.resolved.attribute;
    let steps = target.steps;
    const valueDefinition = valueSubAttribute(definition, value, text);
    if (valueDefinition !== undefined) {
      definition = valueDefinition;
      steps = [...steps, { name: valueDefinition.name, multi: this.#any || valueDefinition.multiValued }];
    }
    const resolvedTarget: Target = { resolved: target.resolved, steps };
    if (value === null) {
      if (op !== "eq" && op !== "ne")
        throw ScimError.invalidFilter(
          `"${op}" cannot compare "${text}" with null; only eq and ne can (or use "${text} pr")`,
        );
      const has = this.#walk(resolvedTarget, parent, (v) => this.#present(v));
      return op === "ne" ? has : `((${has}) IS NOT TRUE)`;
    }
    // The same checks and operands as compileFilter, so both accept exactly the same filters.
    const operand = comparisonOperand(op, text, definition, value);
    const check: Check =
      operand.kind === "string"
        ? { kind: "string", op, value: operand.value, caseExact: operand.caseExact }
        : operand.kind === "instant"
          ? { kind: "instant", op, ms: operand.value }
          : operand.kind === "boolean"
            ? { kind: "boolean", op, value: operand.value }
            : { kind: "number", op, value: operand.value };
    return this.#walk(resolvedTarget, parent, (v, multi) => this.#checkAny(v, multi, check));
  }

  node(filter: Filter, parent: Parent | undefined, depth: number): string {
    if (depth > this.#max)
      throw ScimError.invalidFilter(
        `the filter nests "(", "not (" and "[" more than ${this.#max} levels deep`,
      );
    switch (filter.op) {
      case "eq":
      case "ne":
      case "co":
      case "sw":
      case "ew":
      case "gt":
      case "lt":
      case "ge":
      case "le":
        return this.#comparison(filter.op, filter.path, filter.value, parent);
      case "pr": {
        const target = this.#resolve(filter.path, parent);
        return target === undefined ? "false" : this.#walk(target, parent, (v) => this.#present(v));
      }
      case "and":
      case "or": {
        if (!Array.isArray(filter.filters) || filter.filters.length === 0)
          throw ScimError.invalidFilter(`an "${filter.op}" node needs filters`);
        const parts = filter.filters.map((f) => this.node(f, parent, depth + 1));
        return `(${parts.join(filter.op === "and" ? " AND " : " OR ")})`;
      }
      case "not":
        // Three-valued logic: a condition that is NULL (no value) is false, so its negation is true.
        return `((${this.node(filter.filter, parent, depth + 1)}) IS NOT TRUE)`;
      case "valuePath": {
        const target = this.#resolve(filter.path, parent);
        const text = label(filter.path);
        if (target === undefined) return "false";
        const { resolved } = target;
        if (resolved.attribute.type !== "complex" || resolved.names.length !== 1 || parent) {
          throw ScimError.invalidFilter(
            `"${text}[...]" needs a complex attribute before "[", and "${text}" is not one (RFC 7644 §3.4.2.2 Table 5)`,
          );
        }
        const inner = (element: Source & { kind: "json" }) =>
          this.node(filter.filter, { resolved, label: text, element }, depth + 1);
        return this.#walk(target, parent, (value, multi) => {
          if (value.kind !== "json") return "false";
          const one = `(jsonb_typeof(${value.sql}) = 'object' AND ${inner(value)})`;
          return multi ? `(${one} OR ${this.#someElement(value, inner, true)})` : one;
        });
      }
      default: {
        const unknownNode: never = filter;
        throw ScimError.invalidFilter(
          `unknown filter node ${JSON.stringify((unknownNode as { op?: unknown }).op)}`,
        );
      }
    }
  }

  sortKey(path: string | undefined): SortKey {
    if (path === undefined) return { sql: `${this.#a}.created`, kind: "timestamp", lower: false };
    const resolved = this.#o.registry.resolve(this.#o.resourceType, path);
    if (!resolved) return { sql: "NULL::text", kind: "text", lower: false };
    const { attribute } = resolved;
    const lower = !attribute.caseExact;
    if (resolved.schemaId === undefined && resolved.names[0] === "id" && resolved.names.length === 1) {
      return { sql: lower ? `lower(${this.#a}.id) COLLATE "C"` : `${this.#a}.id`, kind: "text", lower };
    }
    if (resolved.schemaId === undefined && resolved.names[0] === "meta") {
      switch (resolved.names[1]) {
        case "created":
          return { sql: `${this.#a}.created`, kind: "timestamp", lower };
        case "lastModified":
          return { sql: `${this.#a}.last_modified`, kind: "timestamp", lower };
        case "version":
          return {
            sql: `(${lower ? `lower(${this.#version()})` : this.#version()}) COLLATE "C"`,
            kind: "text",
            lower,
          };
        case "resourceType": {
          const name = lower ? this.#o.resourceType.toLowerCase() : this.#o.resourceType;
          return { sql: `${this.#param(name)}::text COLLATE "C"`, kind: "text", lower };
        }
        default:
          return { sql: "NULL::text", kind: "text", lower };
      }
    }
    const data: Source & { kind: "json" } = { kind: "json", sql: `${this.#a}.data`, text: "" };
    const holder =
      resolved.extension && resolved.schemaId !== undefined ? this.#exact(data, resolved.schemaId) : data;
    let value = this.#exact(holder, resolved.names[0]);
    const top = resolved.parent ?? attribute;
    if (this.#any || top.multiValued) {
      // RFC 7644 §3.4.2.3: a multi-valued attribute sorts by its primary value, else its first.
      const v = value.sql;
      const primary = `(SELECT p.v FROM jsonb_array_elements(CASE WHEN jsonb_typeof(${v}) = 'array' THEN ${v} END) WITH ORDINALITY AS p(v, n) WHERE jsonb_typeof(p.v) = 'object' AND p.v -> 'primary' = 'true'::jsonb ORDER BY p.n LIMIT 1)`;
      const sql = `(CASE WHEN jsonb_typeof(${v}) = 'array' THEN COALESCE(${primary}, ${v} -> 0) ELSE ${v} END)`;
      value = { kind: "json", sql, text: `(${sql} #>> '{}')` };
    }
    if (resolved.names[1] !== undefined) value = this.#exact(value, resolved.names[1]);
    switch (attribute.type) {
      case "integer":
      case "decimal":
        return {
          sql: `(CASE WHEN jsonb_typeof(${value.sql}) = 'number' THEN (${value.text})::numeric END)`,
          kind: "numeric",
          lower,
        };
      case "boolean":
        return {
          sql: `(CASE WHEN jsonb_typeof(${value.sql}) = 'boolean' THEN (${value.text})::boolean END)`,
          kind: "boolean",
          lower,
        };
      case "complex":
        return { sql: "NULL::text", kind: "text", lower };
      default:
        return { sql: stringOf(value, !lower), kind: "text", lower };
    }
  }

  /** Sorting reads properties by their exact name, as memory-store's sortValue does. */
  #exact(node: Source & { kind: "json" }, name: string): Source & { kind: "json" } {
    return {
      kind: "json",
      sql: `(${node.sql} -> ${literal(name)})`,
      text: `(${node.sql} ->> ${literal(name)})`,
    };
  }
}

interface Target {
  readonly resolved: ResolvedAttribute;
  readonly steps: readonly Step[];
}

/**
 * Translates a filter (RFC 7644 §3.4.2.2) into a SQL condition over the resources table, with the
 * semantics of compileFilter: caseExact false compares `lower()`ed text, dateTimes compare as instants,
 * numbers numerically, multi-valued attributes match when any value does (`EXISTS` over
 * `jsonb_array_elements`), the conditions of one `attr[...]` hold for one and the same element, and a
 * value of the wrong JSON type never matches. `id` and `meta.*` read the table's columns. Every
 * filter value becomes a parameter in `options.params`; only schema names appear in the SQL text.
 *
 * @throws {ScimError} 400 `invalidFilter` for an unknown attribute or a comparison the RFC forbids.
 * @example
 * const params = new SqlParams();
 * const where = filterToSql(parseFilter('emails[type eq "work" and value co "@example.com"]'), { resourceType: "User", registry, params });
 * await client.query(`SELECT id FROM scim_resources r WHERE ${where}`, params.values);
 */
export function filterToSql(filter: Filter, options: SqlFilterOptions): string {
  return new Translator(options).node(filter, undefined, 0);
}

/**
 * A sort key as SQL (RFC 7644 §3.4.2.3, memory-store's sortValue): `text` (lower-cased unless caseExact,
 * ordered by code point), `numeric`, `boolean`, or `timestamp` (meta.created / meta.lastModified).
 * NULL means "no value", which sorts last in both directions.
 *
 * @example
 * sortKeySql("userName", options).sql; // (CASE WHEN jsonb_typeof(r.data -> 'userName') = 'string' THEN lower(...) END) COLLATE "C"
 */
export interface SortKey {
  readonly sql: string;
  readonly kind: "text" | "numeric" | "boolean" | "timestamp";
  /** The attribute is not caseExact: memory-store lower-cases string keys, and so do cursors. */
  readonly lower: boolean;
}

/**
 * The SQL sort key for a canonical attribute path, or for no path (`meta.created`, memory-store's default).
 *
 * @example
 * const key = sortKeySql("name.familyName", { resourceType: "User", registry, params });
 */
export function sortKeySql(path: string | undefined, options: SqlFilterOptions): SortKey {
  return new Translator(options).sortKey(path);
}

export type { SqlFilterOptions } from "./sql-text.js";
// The statement helpers live in sql-text.ts; these names stay importable from here for the store modules.
export { checkPrefix, instantOf, literal, SqlParams } from "./sql-text.js";
