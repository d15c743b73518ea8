/** {@link compileFilter}: the walk over a filter tree that builds its predicate from matchers and checks. */
import { type AttributeDefinition, type SchemaRegistry, type ScimBundle, ScimError } from "@scimkit/core";
import type { AttributePath, ComparisonFilter, ComparisonOperator, ComparisonValue, Filter } from "./ast.js";
import { comparisonOperand, valueSubAttribute } from "./comparison.js";
import { type Check, check, checkAny, checkOf } from "./comparison-check.js";
import { CORE_TYPES, label, registryOf, resolve, type Scope } from "./compile-scope.js";
import {
  ANY,
  always,
  at,
  atElements,
  atPresent,
  atTest,
  chain,
  elements,
  GUARDED,
  guardedPair,
  lookupAnyCase,
  type Matcher,
  never,
  present,
  type Rec,
} from "./matchers.js";
import { parseFilter } from "./parse-filter.js";
import { depthLimit, type ParseOptions } from "./parse-options.js";

/**
 * How {@link compileFilter} resolves attributes and what it accepts.
 *
 * @example
 * compileFilter('displayName sw "Eng"', { resourceType: "Group" });
 * compileFilter('urn:acme:params:scim:schemas:extension:2.0:Device:serial eq "X1"', { bundle: acmeBundle, resourceType: "Device" });
 */
export interface CompileOptions extends ParseOptions {
  /**
   * The resource type whose schemas define the attributes (any case, or its endpoint such as "/Users").
   * Without it, each attribute resolves against several resource types, first match wins, as a query
   * against the server root would: User (with EnterpriseUser), then Group for the default core bundle;
   * every resource type of a given bundle, in bundle order.
   */
  readonly resourceType?: string;
  /** The schemas: a generated bundle or a {@link SchemaRegistry}; default `coreBundle()`. */
  readonly bundle?: ScimBundle | SchemaRegistry;
  /**
   * What an attribute no schema defines does: `"reject"` (default) fails with 400 `invalidFilter`;
   * `"absent"` treats it as having no value (RFC 7644 §3.4.2: "a presence or equality filter for an
   * undefined attribute evaluates to false").
   */
  readonly unknownAttributes?: "reject" | "absent";
  /**
   * Read RFC 7644 §3.10 literally: extension attributes only with their schema URN
   * (`urn:…:enterprise:2.0:User:employeeNumber`). By default (false) an unqualified name that exactly
   * one extension of the resource type defines resolves to it, as {@link SchemaRegistry.resolve} does
   * (§3.10 says clients SHOULD qualify them; identity providers send `manager`, `department`).
   */
  readonly strict?: boolean;
}

/**
 * A compiled filter: true when the resource matches. Never throws and never mutates its argument;
 * anything that is not a plain object, and values of unexpected types, simply do not match.
 *
 * @example
 * const active: FilterPredicate = compileFilter("active eq true");
 * users.filter(active);
 */
export type FilterPredicate = (resource: object) => boolean;

/** A comparison compiled to a {@link Check} on the value at `steps`, or (null values, unknown attributes) a matcher. */
type Plan = { readonly steps: readonly string[]; readonly check: Check } | { readonly matcher: Matcher };

function compileComparison(
  op: ComparisonOperator,
  path: AttributePath,
  value: ComparisonValue,
  scope: Scope,
): Matcher {
  const plan = planComparison(op, path, value, scope);
  if ("matcher" in plan) return plan.matcher;
  const { check } = plan;
  return chain(plan.steps, scope.top === true, (name, mode) => atTest(name, check, mode));
}

function planComparison(
  op: ComparisonOperator,
  path: AttributePath,
  value: ComparisonValue,
  scope: Scope,
): Plan {
  const target = resolve(path, scope);
  const text = label(path);
  if (target === undefined) return { matcher: value === null && op === "eq" ? always : never };
  let definition: AttributeDefinition = target.resolved.attribute;
  let steps = target.steps;
  const valueDefinition = valueSubAttribute(definition, value, text);
  if (valueDefinition !== undefined) {
    definition = valueDefinition;
    steps = [...steps, valueDefinition.name];
  }
  if (value === null) {
    if (op !== "eq" && op !== "ne") {
      throw ScimError.invalidFilter(
        `"${op}" cannot compare "${text}" with null; only eq and ne can (or use "${text} pr")`,
      );
    }
    const has = chain(steps, false, (name, mode) => at(name, present, mode));
    return { matcher: op === "ne" ? has : (n) => !has(n) };
  }
  return { steps, check: checkOf(op, comparisonOperand(op, text, definition, value)) };
}

/**
 * The common value-path body, one comparison or an `and` of comparisons on sub-attributes
 * (`type eq "work" and value co "@example.com"`), as one element test that loops over precomputed
 * checks instead of calling a closure per condition. `undefined` for any other shape.
 */
function allOf(filter: Filter, scope: Scope): Matcher | undefined {
  const parts = filter.op === "and" ? filter.filters : [filter];
  const names: string[] = [];
  const lowers: string[] = [];
  const checks: Check[] = [];
  for (const part of parts) {
    if (!isComparison(part)) return undefined;
    const plan = planComparison(part.op, part.path, part.value, scope);
    if ("matcher" in plan || plan.steps.length !== 1) return undefined;
    const name = plan.steps[0] as string;
    names.push(name);
    lowers.push(name.toLowerCase());
    checks.push(plan.check);
  }
  const count = checks.length;
  return (element) => {
    for (let i = 0; i < count; i++) {
      const name = names[i] as string;
      let value = (element as Rec)[name];
      if (value === undefined || typeof value === "function")
        value = lookupAnyCase(element as Rec, name, lowers[i] as string);
      const { kind, s, n } = checks[i] as Check;
      if (typeof value !== "object") {
        if (!check(kind, value, s, n)) return false;
      } else if (!Array.isArray(value) || !checkAny(kind, value, s, n)) return false;
    }
    return true;
  };
}

function isComparison(filter: Filter): filter is ComparisonFilter {
  return (
    filter.op !== "and" &&
    filter.op !== "or" &&
    filter.op !== "not" &&
    filter.op !== "valuePath" &&
    filter.op !== "pr"
  );
}

/** A rough evaluation cost, to run cheap conditions of an `and`/`or` first. */
function cost(filter: Filter, depth: number): number {
  if (depth > 32) return 100;
  switch (filter.op) {
    case "and":
    case "or": {
      let sum = 0;
      for (const f of filter.filters) sum += cost(f, depth + 1);
      return sum;
    }
    case "not":
      return cost(filter.filter, depth + 1);
    case "valuePath":
      return 4 + pathCost(filter.path) + cost(filter.filter, depth + 1);
    case "eq":
    case "ne":
    case "co":
    case "sw":
    case "ew":
    case "gt":
    case "lt":
    case "ge":
    case "le":
    case "pr":
      return pathCost(filter.path);
    default: {
      const unknownNode: never = filter;
      return unknownNode;
    }
  }
}

function pathCost(path: AttributePath): number {
  return 1 + (path.subAttribute === undefined ? 0 : 1) + (path.uri === undefined ? 0 : 1);
}

function compileNode(filter: Filter, scope: Scope, depth: number, max: number): Matcher {
  const inside: Scope = scope.top === true ? { ...scope, top: false } : scope;
  if (depth > max)
    throw ScimError.invalidFilter(`the filter nests "(", "not (" and "[" more than ${max} levels deep`);
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
      return compileComparison(filter.op, filter.path, filter.value, scope);
    case "pr": {
      const target = resolve(filter.path, scope);
      return target === undefined
        ? never
        : chain(target.steps, scope.top === true, (name, mode) => atPresent(name, mode));
    }
    case "and":
    case "or": {
      if (!Array.isArray(filter.filters) || filter.filters.length === 0)
        throw ScimError.invalidFilter(`an "${filter.op}" node needs filters`);
      // Cheap conditions first: predicates are pure, so `and`/`or` may short-circuit in any order.
      const ordered = filter.filters.map((f, i) => ({ f, i, cost: cost(f, 0) }));
      ordered.sort((a, b) => a.cost - b.cost || a.i - b.i);
      const parts = ordered.map(({ f }) => compileNode(f, inside, depth + 1, max));
      if (parts.length === 1) return parts[0] as Matcher;
      if (parts.length === 2) {
        const [a, b] = parts as [Matcher, Matcher];
        if (scope.top === true) return guardedPair(a, b, filter.op === "and");
        return filter.op === "and" ? (n) => a(n) && b(n) : (n) => a(n) || b(n);
      }
      if (filter.op === "and") {
        return (n) => {
          for (let i = 0; i < parts.length; i++) if (!(parts[i] as Matcher)(n)) return false;
          return true;
        };
      }
      return (n) => {
        for (let i = 0; i < parts.length; i++) if ((parts[i] as Matcher)(n)) return true;
        return false;
      };
    }
    case "not": {
      const inner = compileNode(filter.filter, inside, depth + 1, max);
      return (n) => !inner(n);
    }
    case "valuePath": {
      const target = resolve(filter.path, scope);
      const text = label(filter.path);
      if (target === undefined) return never;
      const { resolved } = target;
      if (resolved.attribute.type !== "complex" || resolved.names.length !== 1 || scope.parent) {
        throw ScimError.invalidFilter(
          `"${text}[...]" needs a complex attribute before "[", and "${text}" is not one (RFC 7644 §3.4.2.2 Table 5)`,
        );
      }
      const innerScope: Scope = {
        ...scope,
        top: false,
        parent: { resolved, type: target.type, label: text },
      };
      const inner =
        allOf(filter.filter, innerScope) ?? compileNode(filter.filter, innerScope, depth + 1, max);
      return chain(target.steps, scope.top === true, (name, mode) =>
        mode === ANY ? at(name, elements(inner), mode) : atElements(name, inner, mode),
      );
    }
    default: {
      const unknownNode: never = filter;
      throw ScimError.invalidFilter(
        `unknown filter node ${JSON.stringify((unknownNode as { op?: unknown }).op)}`,
      );
    }
  }
}

/**
 * Compiles a filter once into a predicate with the schema's semantics (RFC 7644 §3.4.2.2): names match
 * in any case; `caseExact: false` strings compare case-insensitively; dateTimes compare as instants;
 * integers and decimals numerically; a multi-valued attribute matches when any value does; a complex
 * multi-valued attribute without a sub-attribute compares its `value`; the conditions of one
 * `attr[...]` hold for one and the same element. See the README for every rule.
 *
 * @throws {ScimError} 400 `invalidFilter` for a syntax error, an unknown attribute (unless
 *   `unknownAttributes: "absent"`), or a comparison the RFC forbids (`gt` on a boolean, `co` on an
 *   integer, a value of the wrong type).
 * @example
 * const match = compileFilter('emails[type eq "work" and value co "@example.com"]', { resourceType: "User" });
 * match({ emails: [{ type: "Work", value: "bjensen@EXAMPLE.com" }] }); // true
 */
export function compileFilter(filter: string | Filter, options?: CompileOptions): FilterPredicate {
  const max = depthLimit(options);
  const ast = typeof filter === "string" ? parseFilter(filter, options) : filter;
  if (typeof ast !== "object" || ast === null)
    throw ScimError.invalidFilter("the filter must be a string or a Filter");
  const registry = registryOf(options?.bundle);
  const types =
    options?.resourceType !== undefined
      ? [options.resourceType]
      : options?.bundle === undefined
        ? CORE_TYPES
        : registry.bundle.resourceTypes.map((t) => t.name);
  const scope: Scope = {
    registry,
    types,
    unknown: options?.unknownAttributes ?? "reject",
    strict: options?.strict === true,
    top: true,
  };
  const root = compileNode(ast, scope, 0, max);
  if (GUARDED.has(root)) return root as FilterPredicate;
  return (resource) => {
    if (typeof resource !== "object" || resource === null || Array.isArray(resource)) return false;
    try {
      return root(resource);
    } catch {
      // Only hostile objects (throwing getters, proxies) get here; they simply do not match.
      return false;
    }
  };
}
