/**
 * The fast back end of `compileFilter`: the filter becomes JavaScript source, one small function per node
 * and per attribute step, with attribute names as string literals, compiled with `new Function`.
 *
 * Why: the closures of compile-closures.ts are created from a handful of function literals, and V8 keeps
 * one feedback vector per literal, shared by every closure made from it. Once an application compiles
 * filters on different attributes (`userName`, `meta`, `emails`…), the property loads and calls inside
 * those shared closures turn megamorphic and stop being inlined, whatever the filter. Generated functions
 * have feedback of their own: `r["meta"]` is a monomorphic named load, the steps inline into one another,
 * and a compiled filter runs within a small factor of the same test written by hand (BENCHMARKS.md).
 *
 * Safety: nothing from the filter is spliced into the source but attribute names, each written with
 * `JSON.stringify` (a string literal, whatever it holds); comparison operands are passed in as values.
 * The source depends on the filter's shape only, so it is compiled once per shape and cached: compiling
 * `userName eq "x"` per request costs a map lookup and a few closures, not a parse.
 *
 * Where `new Function` is forbidden (a Content-Security-Policy without `unsafe-eval`, some edge
 * runtimes), {@link compileSource} returns `undefined` from then on and the closures run instead.
 */
import type { Filter } from "./ast.js";
import { endsWithLower, equalsLower, startsWithLower } from "./caseless.js";
import { type Check, checkSource, instantNotEqual } from "./comparison-check.js";
import { checkDepth, orderedOperands, planComparison, unknownNode, valuePathPlan } from "./compile-plan.js";
import { resolve, type Scope } from "./compile-scope.js";
import { instantOf } from "./date-time.js";
import { lookupAnyCase, present } from "./matchers.js";

type Predicate = (resource: object) => boolean;
type Factory = (constants: readonly unknown[]) => Predicate;
type Helpers = [
  typeof lookupAnyCase,
  typeof present,
  typeof instantOf,
  typeof instantNotEqual,
  typeof equalsLower,
  typeof startsWithLower,
  typeof endsWithLower,
];
const HELPER_NAMES = ["L", "P", "I", "INE", "EL", "SW", "EW"] as const;
const HELPERS: Helpers = [
  lookupAnyCase,
  present,
  instantOf,
  instantNotEqual,
  equalsLower,
  startsWithLower,
  endsWithLower,
];

/** Compiled sources by text; cleared when full, so hostile callers cannot grow it without bound. */
const factories = new Map<string, Factory>();
const CACHE_SIZE = 256;
/** False once `new Function` has been refused. */
let available = true;

/** The source of one predicate under construction. */
class Source {
  readonly functions: string[] = [];
  readonly constants: unknown[] = [];

  /** Declares `function fN(r) { body }` and returns its name. */
  fn(body: string): string {
    const name = `f${this.functions.length}`;
    this.functions.push(`function ${name}(r) {\n${body}\n}`);
    return name;
  }

  /** A constant passed in from outside the source, as `kN`. */
  constant(value: unknown): string {
    this.constants.push(value);
    return `k${this.constants.length - 1}`;
  }

  /** A scalar test `(x) => boolean` for a {@link Check}. */
  test(check: Check): string {
    const s = this.constant(check.s);
    const n = this.constant(check.n);
    const name = `t${this.functions.length}`;
    this.functions.push(`function ${name}(x) { return ${checkSource(check.kind, "x", s, n)}; }`);
    return name;
  }

  /**
   * The function of a record that walks `steps` (RFC 7643 §2.1: schema case first, then any case; any
   * element of a multi-valued attribute on the way) and ends with `leaf`: a statement using `v`, the
   * value of the last step.
   */
  steps(steps: readonly string[], leaf: string): string {
    let next = "";
    for (let i = steps.length - 1; i >= 0; i--) {
      const name = steps[i] as string;
      const literal = JSON.stringify(name);
      const read = `let v = r[${literal}];\nif (v === undefined || typeof v === "function") v = L(r, ${literal}, ${JSON.stringify(name.toLowerCase())});`;
      const rest = i === steps.length - 1 ? leaf : anyRecord("v", next);
      next = this.fn(`${read}\n${rest}`);
    }
    return next;
  }
}

/** A statement: `pred` holds for the record `v`, or for one record element of the array `v`. */
function anyRecord(v: string, pred: string): string {
  return `if (typeof ${v} !== "object" || ${v} === null) return false;
if (!Array.isArray(${v})) return ${pred}(${v});
for (let i = 0; i < ${v}.length; i++) {
  const e = ${v}[i];
  if (typeof e === "object" && e !== null && !Array.isArray(e) && ${pred}(e)) return true;
}
return false;`;
}

function emit(out: Source, filter: Filter, scope: Scope, depth: number, max: number): string {
  checkDepth(depth, max);
  switch (filter.op) {
    case "eq":
    case "ne":
    case "co":
    case "sw":
    case "ew":
    case "gt":
    case "lt":
    case "ge":
    case "le": {
      const plan = planComparison(filter.op, filter.path, filter.value, scope);
      if ("constant" in plan) return out.fn(`return ${plan.constant};`);
      if ("present" in plan) {
        const has = out.steps(plan.steps, "return P(v);");
        return plan.present ? has : out.fn(`return !${has}(r);`);
      }
      const test = out.test(plan.check);
      // A scalar is tested; a multi-valued attribute matches when any value does; a complex value never.
      return out.steps(
        plan.steps,
        `if (typeof v !== "object") return ${test}(v);
if (v === null || !Array.isArray(v)) return false;
for (let i = 0; i < v.length; i++) if (${test}(v[i])) return true;
return false;`,
      );
    }
    case "pr": {
      const target = resolve(filter.path, scope);
      // The common case, a string, inline; anything else through the shared `present`.
      return target === undefined
        ? out.fn("return false;")
        : out.steps(target.steps, 'return typeof v === "string" ? v.length > 0 : P(v);');
    }
    case "and":
    case "or": {
      const parts = orderedOperands(filter).map((f) => `${emit(out, f, scope, depth + 1, max)}(r)`);
      return out.fn(`return ${parts.join(filter.op === "and" ? " && " : " || ")};`);
    }
    case "not":
      return out.fn(`return !${emit(out, filter.filter, scope, depth + 1, max)}(r);`);
    case "valuePath": {
      const plan = valuePathPlan(filter, scope);
      if (plan === undefined) return out.fn("return false;");
      const inner = emit(out, filter.filter, plan.inner, depth + 1, max);
      return out.steps(plan.target.steps, anyRecord("v", inner));
    }
    default:
      throw unknownNode(filter);
  }
}

/**
 * The predicate of `filter` as generated code, or `undefined` where `new Function` is not allowed.
 * Throws the same 400 `invalidFilter` errors as the closures would.
 */
export function compileSource(filter: Filter, scope: Scope, max: number): Predicate | undefined {
  if (!available) return undefined;
  const out = new Source();
  const root = emit(out, filter, scope, 0, max);
  const constants = out.constants.map((_, i) => `k${i} = K[${i}]`);
  const text = `"use strict";
${constants.length > 0 ? `const ${constants.join(", ")};` : ""}
${out.functions.join("\n")}
return function scimFilter(r) {
  if (typeof r !== "object" || r === null || Array.isArray(r)) return false;
  try {
    return ${root}(r);
  } catch {
    return false;
  }
};`;
  let factory = factories.get(text);
  if (factory === undefined) {
    let made: (...args: unknown[]) => Predicate;
    try {
      made = new Function(...HELPER_NAMES, "K", text) as (...args: unknown[]) => Predicate;
    } catch (error) {
      // Code generation refused (EvalError): use the closures from now on. Anything else is a bug here.
      if (!(error instanceof EvalError)) throw error;
      available = false;
      return undefined;
    }
    factory = (constants) => made(...HELPERS, constants);
    if (factories.size >= CACHE_SIZE) factories.clear();
    factories.set(text, factory);
  }
  return factory(out.constants);
}
