// Text emitted at the top of validators.gen.ts: the interface the caller fills in and the few helpers the
// straight-line validators share. The generated file imports nothing, so a bundle needs no runtime package.

/**
 * The RFC 4648 §4 check of binary values (RFC 7643 §2.3.6): the same answers as zod.gen.ts's isBase64
 * (alphabet, "=" only as the last one or two characters, length a multiple of 4). A certificate is
 * a thousand characters or more, so this is the costliest check of a body: the characters are written
 * as bytes into a scratch buffer (TextEncoder.encodeInto, native) and read back four at a time, each
 * half looked up in a 64 KiB table of valid pairs: 2.5-3x the speed of one regular expression, which
 * remains for strings longer than the buffer. Any character outside ASCII encodes to a byte >= 0x80,
 * which no pair accepts; the table is symmetric, so byte order does not matter.
 */
export const BASE64_FUNCTION = `const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** The longest string checked through the buffer (3 bytes per character at most, as UTF-8). */
const BASE64_BUFFERED = 21_000;
let base64Pairs: Uint8Array | undefined;
let base64Bytes: Uint8Array;
let base64Words: Uint32Array;
let base64Encoder: { encodeInto(source: string, destination: Uint8Array): unknown };

/** 1 for a pair of bytes that are not both base64 characters; made on the first binary value. */
function makeBase64Pairs(): Uint8Array {
  const valid = new Uint8Array(256);
  for (let i = 0; i < BASE64_ALPHABET.length; i++) valid[BASE64_ALPHABET.charCodeAt(i)] = 1;
  const pairs = new Uint8Array(65_536).fill(1);
  for (let a = 0; a < 256; a++) {
    if (valid[a] === 0) continue;
    for (let b = 0; b < 256; b++) if (valid[b] === 1) pairs[a | (b << 8)] = 0;
  }
  const buffer = new ArrayBuffer(BASE64_BUFFERED * 3 + 4);
  base64Bytes = new Uint8Array(buffer);
  base64Words = new Uint32Array(buffer);
  const global = globalThis as unknown as { TextEncoder: new () => typeof base64Encoder };
  base64Encoder = new global.TextEncoder();
  base64Pairs = pairs;
  return pairs;
}

/** True for padded base64 (RFC 4648 §4), the encoding of SCIM binary values (RFC 7643 §2.3.6). */
function isBase64(text: string): boolean {
  let n = text.length;
  if (n % 4 !== 0) return false;
  if (n > BASE64_BUFFERED) return BASE64.test(text);
  if (n > 0 && text.charCodeAt(n - 1) === 61) {
    n--;
    if (text.charCodeAt(n - 1) === 61) n--;
  }
  const pairs = base64Pairs ?? makeBase64Pairs();
  base64Encoder.encodeInto(text, base64Bytes);
  const words = n >> 2;
  let bad = 0;
  for (let i = 0; i < words; i++) {
    const w = base64Words[i] as number;
    bad |= (pairs[w & 0xffff] as number) | (pairs[w >>> 16] as number);
  }
  // The last characters, each looked up as the pair (c, c).
  for (let i = words << 2; i < n; i++) bad |= pairs[(base64Bytes[i] as number) * 257] as number;
  return bad === 0;
}
`;

export const VALIDATOR_RUNTIME = `/**
 * What the caller of a generated validator supplies (@scimkit/server fills it in per request): the
 * mode, the size limits, how a failure is raised, and the \`schemas\` resolution of RFC 7643 §3.
 */
export interface CompiledMode {
  /** Reject what the lenient mode accepts from identity providers (unknown attributes, "True", single values). */
  readonly strict: boolean;
  readonly maxStringLength: number;
  readonly maxValues: number;
  /** Raises the RFC 7644 §3.12 400 \`invalidValue\` with this detail; never returns. */
  invalid(detail: string): never;
  /** Checks the body's \`schemas\` and the extensions present (RFC 7643 §3) and returns the list to store. */
  schemas(given: unknown, present: ReadonlySet<string>): string[];
}

/** A create (POST) or replace (PUT) body validator: the body (a plain object) in, the normalized resource out. */
export type CompiledInputValidator = (body: Record<string, unknown>, mode: CompiledMode) => Record<string, unknown>;

/** Marks a value that is unassigned: null, or an empty array (RFC 7643 §2.5). */
const U: unique symbol = Symbol("unassigned");
type Unassigned = typeof U;

const TRUE_FALSE = /^(?:true|false)$/i;
const NUMERIC = /^-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?$/;
/** xsd:dateTime as RFC 7643 §2.3.5 allows it: a time zone needs seconds; without one, seconds are optional. */
const DATE_TIME = /^(\\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T(?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d+)?(?:Z|[+-](?:[01]\\d|2[0-3]):[0-5]\\d)?)?$/;

function isDateTime(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (m === null) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (day <= 28) return true;
  if (month === 2) {
    const year = Number(m[1]);
    return day === 29 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  }
  return day <= 30 || !(month === 4 || month === 6 || month === 9 || month === 11);
}

function isPlain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A client-supplied name as errors quote it: cut to 100 characters. */
function clip(text: string): string {
  return text.length <= 100 ? text : \`\${text.slice(0, 100)}… (\${text.length} characters)\`;
}

/** How a wrong value is named in "expected string, received …". */
function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : Number.isFinite(value) ? "number" : "Infinity";
  return typeof value;
}

/** The place of one value: \`emails\` or, for the element at \`i\`, \`emails[1]\`. */
function at(where: string, i: number): string {
  return i < 0 ? where : \`\${where}[\${i}]\`;
}

function longString(where: string, length: number, max: number, mode: CompiledMode): never {
  return mode.invalid(\`"\${where}" is \${length} characters long; at most \${max} are accepted\`);
}

function tooMany(where: string, length: number, mode: CompiledMode): never {
  return mode.invalid(\`"\${where}" has \${length} values; at most \${mode.maxValues} are accepted in one request\`);
}

function wrongType(where: string, expected: string, value: unknown, mode: CompiledMode): never {
  return mode.invalid(\`"\${where}": expected \${expected}, received \${kind(value)}\`);
}

function blank(where: string, value: string, mode: CompiledMode): never {
  return mode.invalid(\`"\${where}" is required, so it cannot be \${value === "" ? "an empty string" : "blank"} (RFC 7643 §2.2)\`);
}

function primaries(values: unknown, where: string, mode: CompiledMode): void {
  if (!Array.isArray(values)) return;
  let count = 0;
  for (const v of values) if (isPlain(v) && v.primary === true) count++;
  if (count > 1) mode.invalid(\`"\${where}" has \${count} values with "primary": true; at most one may be primary (RFC 7643 §2.4)\`);
}

function checkInt(value: number, where: string, mode: CompiledMode): void {
  if (!Number.isInteger(value)) wrongType(where, "int", value, mode);
  if (value > Number.MAX_SAFE_INTEGER) mode.invalid(\`"\${where}": Too big: expected int to be <=\${Number.MAX_SAFE_INTEGER}\`);
  if (value < Number.MIN_SAFE_INTEGER) mode.invalid(\`"\${where}": Too small: expected int to be >=\${Number.MIN_SAFE_INTEGER}\`);
}

`;
