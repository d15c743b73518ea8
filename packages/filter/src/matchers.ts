/**
 * Matchers: the closures a compiled filter is made of. They step into attributes (schema case first, then
 * any case), match any value of a multi-valued attribute, and guard the resource at the top.
 */
import { type Check, check } from "./comparison-check.js";

export type Matcher = (node: unknown) => boolean;
export type Rec = Record<string, unknown>;

function isRecord(value: unknown): value is Rec {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads `name` from a resource node, in schema case first, then in any case (RFC 7643 §2.1). */
function lookup(node: Rec, name: string, lower: string): unknown {
  const value = node[name];
  return value !== undefined && typeof value !== "function" ? value : lookupAnyCase(node, name, lower);
}

/**
 * The slow path of {@link lookup}: a key spelled in another case, or nothing. Called when `node[name]`
 * is undefined (or a function). An own key spelled exactly `name` is the attribute itself, holding no
 * value: the record has it in schema case, so no scan for another spelling runs (decision 25 of the
 * README; a record with the same attribute in two spellings is no valid resource, RFC 7643 §2.1).
 */
export function lookupAnyCase(node: Rec, name: string, lower: string): unknown {
  if (Object.hasOwn(node, name)) return undefined;
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
export type Mode = 0 | 1 | 2;
export const ANY = 0;
const RECORD = 1;
const TOP = 2;
/** Matchers made in `TOP` mode, which {@link compileFilter} returns as they are. */
export const GUARDED = new WeakSet<Matcher>();

/** Steps into `name` and tests its scalar values, any-match, in the given {@link Mode}. */
export function atTest(name: string, test: Check, mode: Mode): Matcher {
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
export function at(name: string, next: Matcher, mode: Mode): Matcher {
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
export function elements(pred: Matcher): Matcher {
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
export function atElements(name: string, pred: Matcher, mode: Mode): Matcher {
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

/** `at(name, present, mode)` as one closure when `mode` is `RECORD` (a plain `attr pr` in an and/or). */
export function atPresent(name: string, mode: Mode): Matcher {
  if (mode !== RECORD) return at(name, present, mode);
  const lower = name.toLowerCase();
  return (node) => {
    let value = (node as Rec)[name];
    if (value === undefined || typeof value === "function") value = lookupAnyCase(node as Rec, name, lower);
    return typeof value === "string"
      ? value.length > 0
      : value !== undefined && value !== null && isPresent(value, 0);
  };
}

/**
 * `a(node) && b(node)` (or `||`) as the whole predicate (`TOP`): checks the resource and catches what
 * hostile objects throw itself, saving the outer wrapper's call. `a` and `b` run in `RECORD` mode.
 */
export function guardedPair(a: Matcher, b: Matcher, and: boolean): Matcher {
  const top = and
    ? (node: unknown): boolean => {
        if (typeof node !== "object" || node === null || Array.isArray(node)) return false;
        try {
          return a(node) && b(node);
        } catch {
          return false;
        }
      }
    : (node: unknown): boolean => {
        if (typeof node !== "object" || node === null || Array.isArray(node)) return false;
        try {
          return a(node) || b(node);
        } catch {
          return false;
        }
      };
  GUARDED.add(top);
  return top;
}

export const present: Matcher = (value) =>
  typeof value === "string" ? value.length > 0 : value !== undefined && value !== null && isPresent(value, 0);
export const never: Matcher = () => false;
export const always: Matcher = () => true;

/** Chains steps down to `last`, which receives the final step's name and {@link Mode}. */
export function chain(
  steps: readonly string[],
  top: boolean,
  last: (name: string, mode: Mode) => Matcher,
): Matcher {
  const n = steps.length;
  const first: Mode = top ? TOP : RECORD;
  let matcher = last(steps[n - 1] as string, n === 1 ? first : ANY);
  for (let i = n - 2; i >= 0; i--) matcher = at(steps[i] as string, matcher, i === 0 ? first : ANY);
  return matcher;
}
