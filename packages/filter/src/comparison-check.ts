/**
 * Scalar comparisons compiled to an opcode and precomputed operands, and the one function that runs
 * them: the innermost step of every compiled comparison.
 */
import type { ComparisonOperator } from "./ast.js";
import { endsWithLower, equalsLower, startsWithLower } from "./caseless.js";
import type { ComparisonOperand } from "./comparison.js";
import { instantOf } from "./date-time.js";

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
export interface Check {
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

export function check(kind: number, x: unknown, s: string, n: number): boolean {
  if (kind < STRING_EXACT) return checkStringCaseless(kind, x, s);
  if (kind < NUMBER) return checkString(kind, x, s);
  if (kind < INSTANT) return checkNumber(kind, x, n);
  if (kind < BOOLEAN) return typeof x === "string" && compareInstant(kind - INSTANT, instantOf(x), n);
  return kind === BOOLEAN ? x === (n === 1) : typeof x === "boolean" && x !== (n === 1);
}

function checkStringCaseless(kind: number, x: unknown, s: string): boolean {
  if (typeof x !== "string") return false;
  switch (kind) {
    case 0:
      return x === s || equalsLower(x, s);
    case 1:
      return x !== s && !equalsLower(x, s);
    case 2:
      return x.toLowerCase().includes(s);
    case 3:
      return startsWithLower(x, s);
    case 4:
      return endsWithLower(x, s);
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

export function checkAny(kind: number, values: unknown[], s: string, n: number): boolean {
  for (let i = 0; i < values.length; i++) if (check(kind, values[i], s, n)) return true;
  return false;
}

/** The {@link Check} of `op` against an operand as `comparisonOperand` reads it from the filter. */
export function checkOf(op: ComparisonOperator, operand: ComparisonOperand): Check {
  switch (operand.kind) {
    case "string":
      return stringCheck(op, operand.value, operand.caseExact);
    case "boolean":
      return { kind: BOOLEAN + OPS.indexOf(op), s: "", n: operand.value ? 1 : 0 };
    case "number":
      return { kind: NUMBER + OPS.indexOf(op), s: "", n: operand.value };
    case "instant":
      return { kind: INSTANT + OPS.indexOf(op), s: "", n: operand.value };
    default: {
      const unknown: never = operand;
      throw new Error(`unknown operand ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * The JavaScript expression of `check(kind, x, s, n)` for one known `kind`, for generated predicates
 * (compile-source.ts): `x` names the value, `s`/`n` the operands, `h` the helpers object
 * (`equalsLower`, `startsWithLower`, `endsWithLower`, `instantOf`). Kept beside {@link check} so the two
 * stay in step; a property test compares them.
 */
export function checkSource(kind: number, x: string, s: string, n: string): string {
  const str = `typeof ${x} === "string"`;
  if (kind < STRING_EXACT) {
    const lower = `${x}.toLowerCase()`;
    const body = [
      `(${x} === ${s} || EL(${x}, ${s}))`,
      `${x} !== ${s} && !EL(${x}, ${s})`,
      `${lower}.includes(${s})`,
      `SW(${x}, ${s})`,
      `EW(${x}, ${s})`,
      `${lower} > ${s}`,
      `${lower} >= ${s}`,
      `${lower} < ${s}`,
      `${lower} <= ${s}`,
    ][kind];
    return `${str} && ${body}`;
  }
  if (kind < NUMBER) {
    const body = [
      `${x} === ${s}`,
      `${x} !== ${s}`,
      `${x}.includes(${s})`,
      `${x}.startsWith(${s})`,
      `${x}.endsWith(${s})`,
      `${x} > ${s}`,
      `${x} >= ${s}`,
      `${x} < ${s}`,
      `${x} <= ${s}`,
    ][kind - STRING_EXACT];
    return `${str} && ${body}`;
  }
  if (kind < INSTANT) {
    const symbol = NUMERIC[kind - NUMBER];
    return symbol === undefined ? "false" : `typeof ${x} === "number" && ${x} ${symbol} ${n}`;
  }
  if (kind < BOOLEAN) {
    const op = kind - INSTANT;
    // `ne` on an instant: a value that is no dateTime is not "not equal" (it is not comparable).
    if (op === 1) return `${str} && INE(${x}, ${n})`;
    const symbol = NUMERIC[op];
    return symbol === undefined ? "false" : `${str} && I(${x}) ${symbol} ${n}`;
  }
  return kind === BOOLEAN ? `${x} === (${n} === 1)` : `typeof ${x} === "boolean" && ${x} !== (${n} === 1)`;
}

/** The JavaScript operator of each numeric/instant opcode (index in OPS); co/sw/ew have none. */
const NUMERIC: readonly (string | undefined)[] = [
  "===",
  "!==",
  undefined,
  undefined,
  undefined,
  ">",
  ">=",
  "<",
  "<=",
];

/** `ne` on an instant, as {@link check} reads it: comparable and different. */
export function instantNotEqual(x: string, n: number): boolean {
  return compareInstant(1, instantOf(x), n);
}
