/**
 * What both back ends of {@link compileFilter} share: the checks that reject a filter (with the same
 * messages whichever back end runs), the plan of one comparison, and the cost order of `and`/`or`.
 */
import { type AttributeDefinition, ScimError } from "@scimkit/core";
import type {
  AttributePath,
  ComparisonFilter,
  ComparisonOperator,
  ComparisonValue,
  Filter,
  LogicalFilter,
  ValuePathFilter,
} from "./ast.js";
import { comparisonOperand, valueSubAttribute } from "./comparison.js";
import { type Check, checkOf } from "./comparison-check.js";
import { label, resolve, type Scope, type Target } from "./compile-scope.js";

/**
 * A comparison compiled to a {@link Check} on the value at `steps`; a null comparison to a presence test
 * at `steps` (`present` true for `ne null`); or, for an unknown attribute, a constant.
 */
export type Plan =
  | { readonly steps: readonly string[]; readonly check: Check }
  | { readonly steps: readonly string[]; readonly present: boolean }
  | { readonly constant: boolean };

export function planComparison(
  op: ComparisonOperator,
  path: AttributePath,
  value: ComparisonValue,
  scope: Scope,
): Plan {
  const target = resolve(path, scope);
  const text = label(path);
  // RFC 7644 §3.4.2: an undefined attribute has no value, so only `eq null` holds.
  if (target === undefined) return { constant: value === null && op === "eq" };
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
    return { steps, present: op === "ne" };
  }
  return { steps, check: checkOf(op, comparisonOperand(op, text, definition, value)) };
}

export function isComparison(filter: Filter): filter is ComparisonFilter {
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

/** Rejects nesting deeper than `max` levels. */
export function checkDepth(depth: number, max: number): void {
  if (depth > max)
    throw ScimError.invalidFilter(`the filter nests "(", "not (" and "[" more than ${max} levels deep`);
}

/**
 * The operands of an `and`/`or`, cheap conditions first: predicates are pure, so `and`/`or` may
 * short-circuit in any order.
 */
export function orderedOperands(filter: LogicalFilter): Filter[] {
  if (!Array.isArray(filter.filters) || filter.filters.length === 0)
    throw ScimError.invalidFilter(`an "${filter.op}" node needs filters`);
  const ordered = filter.filters.map((f, i) => ({ f, i, cost: cost(f, 0) }));
  ordered.sort((a, b) => a.cost - b.cost || a.i - b.i);
  return ordered.map(({ f }) => f);
}

/** Where a value path `attr[...]` starts and the scope of its inner filter; `undefined` for an unknown attribute. */
export function valuePathPlan(
  filter: ValuePathFilter,
  scope: Scope,
): { readonly target: Target; readonly inner: Scope } | undefined {
  const target = resolve(filter.path, scope);
  const text = label(filter.path);
  if (target === undefined) return undefined;
  const { resolved } = target;
  if (resolved.attribute.type !== "complex" || resolved.names.length !== 1 || scope.parent) {
    throw ScimError.invalidFilter(
      `"${text}[...]" needs a complex attribute before "[", and "${text}" is not one (RFC 7644 §3.4.2.2 Table 5)`,
    );
  }
  return { target, inner: { ...scope, top: false, parent: { resolved, type: target.type, label: text } } };
}

/** The error for a node whose `op` no filter has. */
export function unknownNode(filter: never): ScimError {
  return ScimError.invalidFilter(`unknown filter node ${JSON.stringify((filter as { op?: unknown }).op)}`);
}
