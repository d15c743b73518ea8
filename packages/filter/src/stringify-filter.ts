import { ScimError } from "@scimkit/core";
import type { AttributePath, ComparisonValue, Filter, Path } from "./ast.js";
import { isAttributeName, NAME_RULE } from "./attribute-path.js";
import { depthLimit } from "./parse-options.js";

const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9+.:/~%$_-]*[^:]$/;

type Fail = (detail: string) => ScimError;

function writePath(path: AttributePath, fail: Fail): string {
  const { uri, attribute, subAttribute } = path;
  if (typeof attribute !== "string" || !isAttributeName(attribute)) {
    throw fail(`invalid attribute name ${JSON.stringify(attribute)}: ${NAME_RULE}`);
  }
  let text = attribute;
  if (uri !== undefined) {
    if (typeof uri !== "string" || !URI.test(uri))
      throw fail(`invalid schema URI ${JSON.stringify(uri)} in an attribute path`);
    text = `${uri}:${attribute}`;
  }
  if (subAttribute !== undefined) {
    if (typeof subAttribute !== "string" || !isAttributeName(subAttribute)) {
      throw fail(
        `invalid sub-attribute name ${JSON.stringify(subAttribute)} of "${attribute}": ${NAME_RULE}`,
      );
    }
    text = `${text}.${subAttribute}`;
  }
  return text;
}

function writeValue(value: ComparisonValue, fail: Fail): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw fail(`the comparison value ${String(value)} is not a finite number`);
      return Object.is(value, -0) ? "-0" : String(value);
    case "boolean":
      return value ? "true" : "false";
    default:
      if (value === null) return "null";
      throw fail(`the comparison value ${String(value)} is not a string, number, boolean or null`);
  }
}

/** Writes `filter`; `owner` is the attribute whose `[...]` it is inside, if any (value paths do not nest). */
function write(filter: Filter, depth: number, max: number, fail: Fail, owner?: string): string {
  if (depth > max) throw fail(`the filter nests "(", "not (" and "[" more than ${max} levels deep`);
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
      return `${writePath(filter.path, fail)} ${filter.op} ${writeValue(filter.value, fail)}`;
    case "pr":
      return `${writePath(filter.path, fail)} pr`;
    case "and":
    case "or": {
      const { filters } = filter;
      if (!Array.isArray(filters) || filters.length < 2)
        throw fail(`an "${filter.op}" node needs at least two filters`);
      const parts: string[] = [];
      for (const child of filters) {
        // `and` binds tighter than `or`, so only an `or` inside `and`, or a same-operator chain the
        // text grouped explicitly, needs parentheses.
        const grouped = child.op === "or" || (child.op === "and" && filter.op === "and");
        parts.push(
          grouped ? `(${write(child, depth + 1, max, fail, owner)})` : write(child, depth, max, fail, owner),
        );
      }
      return parts.join(` ${filter.op} `);
    }
    case "not":
      return `not (${write(filter.filter, depth + 1, max, fail, owner)})`;
    case "valuePath": {
      const name = writePath(filter.path, fail);
      if (owner !== undefined) {
        throw fail(
          `value paths do not nest ("${name}[...]" inside "${owner}[...]"): the filter in "[...]" compares sub-attributes (RFC 7644 §3.4.2.2 valFilter)`,
        );
      }
      return `${name}[${write(filter.filter, depth + 1, max, fail, name)}]`;
    }
    default: {
      const never: never = filter;
      throw fail(`unknown filter node ${JSON.stringify((never as { op?: unknown }).op)}`);
    }
  }
}

const filterFail: Fail = (detail) => ScimError.invalidFilter(detail);
const pathFail: Fail = (detail) => ScimError.invalidPath(detail);

/**
 * Writes a {@link Filter} as canonical filter text: lower-case operators, single spaces, JSON values,
 * and parentheses only where the tree needs them. `parseFilter(stringifyFilter(f))` deep-equals `f`.
 *
 * @throws {ScimError} 400 `invalidFilter` when the tree is not a filter the grammar can express
 *   (an invalid attribute name, a non-finite number, an `and`/`or` with fewer than two filters, a
 *   value path inside another's filter, or nesting deeper than `maxDepth`, default 64).
 * @example
 * stringifyFilter({ op: "and", filters: [
 *   { op: "eq", path: { attribute: "userType" }, value: "Employee" },
 *   { op: "or", filters: [{ op: "pr", path: { attribute: "title" } }, { op: "pr", path: { attribute: "nickName" } }] },
 * ] });
 * // 'userType eq "Employee" and (title pr or nickName pr)'
 */
export function stringifyFilter(filter: Filter, options?: { readonly maxDepth?: number }): string {
  return write(filter, 0, depthLimit(options), filterFail);
}

/**
 * Writes a PATCH {@link Path} as canonical text; `parsePath(stringifyPath(p))` deep-equals `p`.
 *
 * @throws {ScimError} 400 `invalidPath` when the path cannot be written (see {@link stringifyFilter}).
 * @example
 * stringifyPath({ path: { attribute: "members" }, filter: { op: "eq", path: { attribute: "value" }, value: "2819c223" }, subAttribute: "display" });
 * // 'members[value eq "2819c223"].display'
 */
export function stringifyPath(path: Path, options?: { readonly maxDepth?: number }): string {
  const max = depthLimit(options);
  let text = writePath(path.path, pathFail);
  if (path.filter !== undefined) text += `[${write(path.filter, 1, max, pathFail, text)}]`;
  if (path.subAttribute !== undefined) {
    if (path.filter === undefined) {
      throw pathFail(
        `a sub-attribute after "]" needs a filter; without one, put "${path.subAttribute}" in path.path.subAttribute`,
      );
    }
    if (!isAttributeName(path.subAttribute))
      throw pathFail(`invalid sub-attribute name ${JSON.stringify(path.subAttribute)}: ${NAME_RULE}`);
    text += `.${path.subAttribute}`;
  }
  return text;
}
