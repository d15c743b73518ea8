import {
  type AttributeDefinition,
  coreBundle,
  type ResolvedAttribute,
  SchemaRegistry,
  type ScimBundle,
  ScimError,
} from "@scimkit/core";
import type { AttributePath, ComparisonFilter, ComparisonOperator, ComparisonValue, Filter } from "./ast.js";
import { comparisonOperand, instant, valueSubAttribute } from "./comparison.js";
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

type Matcher = (node: unknown) => boolean;
type Rec = Record<string, unknown>;

/** The core bundle's resource types, User first (DESIGN.md: "defaults to the core bundle's User and Group"). */
const CORE_TYPES: readonly string[] = ["User", "Group"];
let defaultRegistry: SchemaRegistry | undefined;
const registries = new WeakMap<ScimBundle, SchemaRegistry>();

function registryOf(bundle: ScimBundle | SchemaRegistry | undefined): SchemaRegistry {
  if (bundle === undefined) {
    defaultRegistry ??= new SchemaRegistry(coreBundle());
    return defaultRegistry;
  }
  if (bundle instanceof SchemaRegistry) return bundle;
  let registry = registries.get(bundle);
  if (!registry) {
    registry = new SchemaRegistry(bundle);
    registries.set(bundle, registry);
  }
  return registry;
}

function isRecord(value: unknown): value is Rec {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads `name` from a resource node, in schema case first, then in any case (RFC 7643 §2.1). */
function lookup(node: Rec, name: string, lower: string): unknown {
  const value = node[name];
  return value !== undefined && typeof value !== "function" ? value : lookupAnyCase(node, name, lower);
}

/** The slow path of {@link lookup}: a key spelled in another case, or nothing. */
function lookupAnyCase(node: Rec, name: string, lower: string): unknown {
  const n = name.length;
  for (const key in node) {
    if (key.length === n && key !== name && key.toLowerCase() === lower && Object.hasOwn(node, key))
      return node[key];
  }
  return undefined;
}

/** RFC 7644 §3.4.2.2 `pr`: not null, not "", not an empty array, and a complex value with some value. */
function isPresent(value: unknown, depth: number): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === "string") return value.length > 0;
  if (typeof value !== "object") return typeof value !== "function";
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (depth > 1 || isPresent(value[i], depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (Object.hasOwn(value, key) && (depth > 1 || isPresent((value as Rec)[key], depth + 1))) return true;
  }
  return false;
}

/**
 * Where a matcher runs: on any value (`ANY`, a later step of a path), on a plain object (`RECORD`, the
 * first step of a path: the resource or a value-path element), or as the whole predicate (`TOP`: it
 * checks the resource and catches what hostile objects throw itself, saving the outer wrapper's call).
 */
type Mode = 0 | 1 | 2;
const ANY = 0;
const RECORD = 1;
const TOP = 2;
/** Matchers made in `TOP` mode, which {@link compileFilter} returns as they are. */
const GUARDED = new WeakSet<Matcher>();

/** Steps into `name` and tests its scalar values, any-match, in the given {@link Mode}. */
function atTest(name: string, test: Check, mode: Mode): Matcher {
  const lower = name.toLowerCase();
  const { kind, s, n } = test;
  if (mode === TOP) {
    const top = (node: unknown): boolean => {
      if (typeof node !== "object" || node === null || Array.isArray(node)) return false;
      try {
        let value = (node as Rec)[name];
        if (value === undefined || typeof value === "function")
          value = lookupAnyCase(node as Rec, name, lower);
        if (typeof value !== "object") return check(kind, value, s, n);
        if (!Array.isArray(value)) return false;
        for (let i = 0; i < value.length; i++) if (check(kind, value[i], s, n)) return true;
        return false;
      } catch {
        return false;
      }
    };
    GUARDED.add(top);
    return top;
  }
  const one = (node: Rec): boolean => {
    let value = node[name];
    if (value === undefined || typeof value === "function") value = lookupAnyCase(node, name, lower);
    if (typeof value !== "object") return check(kind, value, s, n);
    if (!Array.isArray(value)) return false;
    for (let i = 0; i < value.length; i++) if (check(kind, value[i], s, n)) return true;
    return false;
  };
  if (mode === RECORD) return one as Matcher;
  return (node) => {
    if (typeof node !== "object" || node === null) return false;
    if (!Array.isArray(node)) return one(node as Rec);
    for (const element of node) if (isRecord(element) && one(element)) return true;
    return false;
  };
}

/** Steps into `name` and hands the whole value (array or not) to `next`; see {@link atTest} for `mode`. */
function at(name: string, next: Matcher, mode: Mode): Matcher {
  const lower = name.toLowerCase();
  if (mode === TOP) {
    const top = (node: unknown): boolean => {
      if (typeof node !== "object" || node === null || Array.isArray(node)) return false;
      try {
        return next(lookup(node as Rec, name, lower));
      } catch {
        return false;
      }
    };
    GUARDED.add(top);
    return top;
  }
  if (mode === RECORD) {
    return (node) => {
      let value = (node as Rec)[name];
      if (value === undefined || typeof value === "function") value = lookupAnyCase(node as Rec, name, lower);
      return next(value);
    };
  }
  return (node) => {
    if (typeof node !== "object" || node === null) return false;
    if (!Array.isArray(node)) return next(lookup(node as Rec, name, lower));
    for (const element of node) if (isRecord(element) && next(lookup(element, name, lower))) return true;
    return false;
  };
}

/** A value-path condition: `pred` must hold for one and the same element (or the single complex value). */
function elements(pred: Matcher): Matcher {
  return (value) => {
    if (typeof value !== "object" || value === null) return false;
    if (!Array.isArray(value)) return pred(value);
    for (let i = 0; i < value.length; i++) {
      const element: unknown = value[i];
      if (typeof element === "object" && element !== null && !Array.isArray(element) && pred(element))
        return true;
    }
    return false;
  };
}

/** `at(name, elements(pred), mode)` as one closure, for the first step of a value path (the usual case). */
function atElements(name: string, pred: Matcher, mode: Mode): Matcher {
  const lower = name.toLowerCase();
  const one = (node: Rec): boolean => {
    let value = node[name];
    if (value === undefined || typeof value === "function") value = lookupAnyCase(node, name, lower);
    if (typeof value !== "object" || value === null) return false;
    if (!Array.isArray(value)) return pred(value);
    for (let i = 0; i < value.length; i++) {
      const element: unknown = value[i];
      if (typeof element === "object" && element !== null && !Array.isArray(element) && pred(element))
        return true;
    }
    return false;
  };
  if (mode !== TOP) return one as Matcher;
  const top = (node: unknown): boolean => {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return false;
    try {
      return one(node as Rec);
    } catch {
      return false;
    }
  };
  GUARDED.add(top);
  return top;
}

const present: Matcher = (value) =>
  typeof value === "string" ? value.length > 0 : value !== undefined && value !== null && isPresent(value, 0);
const never: Matcher = () => false;
const always: Matcher = () => true;

/**
 * A flat, internalized copy of `text`. Parsed values are often slices of the filter text, and V8 compares
 * sliced strings several times slower than flat ones, on every evaluation.
 */
function flat(text: string): string {
  return Object.keys({ [text]: 0 })[0] ?? text;
}

/**
 * A compiled scalar comparison: an opcode and its precomputed operands. One monomorphic `check` with a
 * switch is much faster than a closure per operator, whose call sites turn megamorphic (and stop being
 * inlined) as soon as an application compiles filters with different operators.
 */
interface Check {
  readonly kind: number;
  /** The string operand as written (case-exact) or lower-cased (case-insensitive). */
  readonly s: string;
  /** The numeric operand: a number, epoch milliseconds, or 1/0 for true/false. */
  readonly n: number;
}

const OPS: readonly ComparisonOperator[] = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"];
const STRING_CI = 0; // + index in OPS (0–8)
const STRING_EXACT = 10; // + index in OPS (10–18)
const NUMBER = 20; // + index in OPS, eq ne gt ge lt le only
const INSTANT = 30; // + index in OPS, eq ne gt ge lt le only
const BOOLEAN = 40; // + index in OPS, eq ne only

function check(kind: number, x: unknown, s: string, n: number): boolean {
  if (kind < STRING_EXACT) return checkStringCaseless(kind, x, s);
  if (kind < NUMBER) return checkString(kind, x, s);
  if (kind < INSTANT) return checkNumber(kind, x, n);
  if (kind < BOOLEAN) return typeof x === "string" && compareInstant(kind - INSTANT, instant(x), n);
  return kind === BOOLEAN ? x === (n === 1) : typeof x === "boolean" && x !== (n === 1);
}

function checkStringCaseless(kind: number, x: unknown, s: string): boolean {
  if (typeof x !== "string") return false;
  switch (kind) {
    case 0:
      return x === s || x.toLowerCase() === s;
    case 1:
      return x !== s && x.toLowerCase() !== s;
    case 2:
      return x.toLowerCase().includes(s);
    case 3:
      return x.toLowerCase().startsWith(s);
    case 4:
      return x.toLowerCase().endsWith(s);
    case 5:
      return x.toLowerCase() > s;
    case 6:
      return x.toLowerCase() >= s;
    case 7:
      return x.toLowerCase() < s;
    default:
      return x.toLowerCase() <= s;
  }
}

function checkString(kind: number, x: unknown, s: string): boolean {
  if (typeof x !== "string") return false;
  switch (kind) {
    case 10:
      return x === s;
    case 11:
      return x !== s;
    case 12:
      return x.includes(s);
    case 13:
      return x.startsWith(s);
    case 14:
      return x.endsWith(s);
    case 15:
      return x > s;
    case 16:
      return x >= s;
    case 17:
      return x < s;
    default:
      return x <= s;
  }
}

function checkNumber(kind: number, x: unknown, n: number): boolean {
  if (typeof x !== "number") return false;
  switch (kind) {
    case 20:
      return x === n;
    case 21:
      return x !== n;
    case 25:
      return x > n;
    case 26:
      return x >= n;
    case 27:
      return x < n;
    default:
      return x <= n;
  }
}

function compareInstant(op: number, t: number, n: number): boolean {
  switch (op) {
    case 0:
      return t === n;
    case 1:
      return !Number.isNaN(t) && t !== n;
    case 5:
      return t > n;
    case 6:
      return t >= n;
    case 7:
      return t < n;
    case 8:
      return t <= n;
    default:
      return false;
  }
}

function stringCheck(op: ComparisonOperator, written: string, caseExact: boolean): Check {
  const index = OPS.indexOf(op);
  return caseExact
    ? { kind: STRING_EXACT + index, s: flat(written), n: 0 }
    : { kind: STRING_CI + index, s: flat(written.toLowerCase()), n: 0 };
}

interface Scope {
  readonly registry: SchemaRegistry;
  readonly types: readonly string[];
  readonly unknown: "reject" | "absent";
  readonly strict: boolean;
  /** True for the root node only: its matcher may guard the resource itself ({@link Mode} `TOP`). */
  readonly top?: boolean;
  /** Set inside `attr[...]`: paths there name sub-attributes of this attribute. */
  readonly parent?: { readonly resolved: ResolvedAttribute; readonly type: string; readonly label: string };
}

interface Target {
  readonly resolved: ResolvedAttribute;
  readonly type: string;
  /** Property names from the node the matcher runs on: the resource, or the element in a value path. */
  readonly steps: readonly string[];
}

function label(path: AttributePath): string {
  return `${path.uri === undefined ? "" : `${path.uri}:`}${path.attribute}${path.subAttribute === undefined ? "" : `.${path.subAttribute}`}`;
}

function resolve(path: AttributePath, scope: Scope): Target | undefined {
  const text = label(path);
  const { parent } = scope;
  if (parent) {
    if (path.uri !== undefined || path.subAttribute !== undefined) {
      throw ScimError.invalidFilter(
        `inside "${parent.label}[...]" name a sub-attribute of "${parent.label}" (e.g. "${parent.resolved.attribute.subAttributes?.[0]?.name ?? "value"}"), found "${text}"`,
      );
    }
    const resolved = scope.registry.resolve(parent.type, `${parent.resolved.path}.${path.attribute}`);
    if (resolved) return { resolved, type: parent.type, steps: [resolved.names[1] ?? resolved.names[0]] };
    if (scope.unknown === "absent") return undefined;
    const subs = parent.resolved.attribute.subAttributes?.map((a) => a.name).join(", ") ?? "none";
    throw ScimError.invalidFilter(
      `"${parent.label}" has no sub-attribute "${path.attribute}" (it has: ${subs})`,
    );
  }
  for (const type of scope.types) {
    const resolved = scope.registry.resolve(type, text, { strict: scope.strict });
    if (resolved) {
      const steps =
        resolved.extension && resolved.schemaId !== undefined
          ? [resolved.schemaId, ...resolved.names]
          : [...resolved.names];
      return { resolved, type, steps };
    }
  }
  if (scope.unknown === "absent") return undefined;
  const where =
    scope.types.length === 1 ? `resource type ${scope.types[0]}` : `resource types ${scope.types.join(", ")}`;
  let hint = "";
  if (path.uri === undefined) {
    for (const type of scope.types) {
      const candidates = scope.registry.candidates(type, text);
      if (candidates.length === 0) continue;
      hint =
        candidates.length === 1
          ? `; did you mean "${candidates[0]}"? Extension attributes need their schema URN (RFC 7644 §3.10)`
          : `; it is ambiguous: ${candidates.map((c) => `"${c}"`).join(" or ")}; qualify it with its schema URN (RFC 7644 §3.10)`;
      break;
    }
  }
  throw ScimError.invalidFilter(`unknown attribute "${text}" for ${where}${hint}`);
}

/** Chains steps down to `last`, which receives the final step's name and {@link Mode}. */
function chain(steps: readonly string[], top: boolean, last: (name: string, mode: Mode) => Matcher): Matcher {
  const n = steps.length;
  const first: Mode = top ? TOP : RECORD;
  let matcher = last(steps[n - 1] as string, n === 1 ? first : ANY);
  for (let i = n - 2; i >= 0; i--) matcher = at(steps[i] as string, matcher, i === 0 ? first : ANY);
  return matcher;
}

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
  const operand = comparisonOperand(op, text, definition, value);
  let test: Check;
  switch (operand.kind) {
    case "string":
      test = stringCheck(op, operand.value, operand.caseExact);
      break;
    case "boolean":
      test = { kind: BOOLEAN + OPS.indexOf(op), s: "", n: operand.value ? 1 : 0 };
      break;
    case "number":
      test = { kind: NUMBER + OPS.indexOf(op), s: "", n: operand.value };
      break;
    case "instant":
      test = { kind: INSTANT + OPS.indexOf(op), s: "", n: operand.value };
      break;
    default: {
      const unknown: never = operand;
      throw new Error(`unknown operand ${JSON.stringify(unknown)}`);
    }
  }
  return { steps, check: test };
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

function checkAny(kind: number, values: unknown[], s: string, n: number): boolean {
  for (let i = 0; i < values.length; i++) if (check(kind, values[i], s, n)) return true;
  return false;
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
        : chain(target.steps, scope.top === true, (name, mode) => at(name, present, mode));
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
