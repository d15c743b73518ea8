/**
 * The portable back end of `compileFilter`: a tree of closures built from the matchers. It runs where
 * generated code cannot (a Content-Security-Policy without `unsafe-eval`, some edge runtimes) and is the
 * reference the generated back end is property-tested against.
 */
import type { AttributePath, ComparisonOperator, ComparisonValue, Filter } from "./ast.js";
import { type Check, check, checkAny } from "./comparison-check.js";
import {
  checkDepth,
  isComparison,
  orderedOperands,
  planComparison,
  unknownNode,
  valuePathPlan,
} from "./compile-plan.js";
import { resolve, type Scope } from "./compile-scope.js";
import {
  ANY,
  always,
  at,
  atElements,
  atPresent,
  atTest,
  chain,
  elements,
  guardedPair,
  lookupAnyCase,
  type Matcher,
  never,
  present,
  type Rec,
} from "./matchers.js";

function compileComparison(
  op: ComparisonOperator,
  path: AttributePath,
  value: ComparisonValue,
  scope: Scope,
): Matcher {
  const plan = planComparison(op, path, value, scope);
  if ("constant" in plan) return plan.constant ? always : never;
  if ("present" in plan) {
    const has = chain(plan.steps, false, (name, mode) => at(name, present, mode));
    return plan.present ? has : (n) => !has(n);
  }
  const { check: test } = plan;
  return chain(plan.steps, scope.top === true, (name, mode) => atTest(name, test, mode));
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
    if (!("check" in plan) || plan.steps.length !== 1) return undefined;
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

/** The matcher of `filter`; at the root (`scope.top`) it may guard the resource itself (`GUARDED`). */
export function compileNode(filter: Filter, scope: Scope, depth: number, max: number): Matcher {
  const inside: Scope = scope.top === true ? { ...scope, top: false } : scope;
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
      const parts = orderedOperands(filter).map((f) => compileNode(f, inside, depth + 1, max));
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
      const plan = valuePathPlan(filter, scope);
      if (plan === undefined) return never;
      const inner =
        allOf(filter.filter, plan.inner) ?? compileNode(filter.filter, plan.inner, depth + 1, max);
      return chain(plan.target.steps, scope.top === true, (name, mode) =>
        mode === ANY ? at(name, elements(inner), mode) : atElements(name, inner, mode),
      );
    }
    default:
      throw unknownNode(filter);
  }
}
