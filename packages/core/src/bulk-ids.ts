/**
 * bulkId references (RFC 7644 §3.7.2): a value `"bulkId:qwerty"` in an operation's data, or a path
 * `/Groups/bulkId:qwerty`, stands for the id of the resource the POST with that bulkId creates. Shared by
 * the server's `/Bulk` and the client's bulk splitting.
 */
import { isForbiddenKey } from "./json-keys.js";

/** A whole string value that refers to a bulkId: group 1 is the bulkId. */
export const BULK_ID_REFERENCE = /^bulkId:(.+)$/;

/** An operation path whose resource is a bulkId: group 1 is the endpoint with its "/", group 2 the bulkId. */
export const BULK_ID_PATH = /^(\/*[^/]+\/)bulkId:([^/]+)$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Adds to `out` every bulkId that `value` refers to, looking at most `maxDepth` levels deep (keys that
 * could reach a prototype are skipped).
 *
 * @example bulkIdReferences({ members: [{ value: "bulkId:u1" }] }, new Set(), 32); // Set { "u1" }
 */
export function bulkIdReferences(value: unknown, out: Set<string>, maxDepth: number, depth = 0): Set<string> {
  if (depth > maxDepth) return out;
  if (typeof value === "string") {
    const match = BULK_ID_REFERENCE.exec(value);
    if (match) out.add(match[1] as string);
  } else if (Array.isArray(value)) {
    for (const item of value) bulkIdReferences(item, out, maxDepth, depth + 1);
  } else if (isRecord(value)) {
    for (const key of Object.keys(value))
      if (!isForbiddenKey(key)) bulkIdReferences(value[key], out, maxDepth, depth + 1);
  }
  return out;
}

/**
 * A copy of `value` with every `"bulkId:X"` string replaced by `resolve(X, text)` (which may return the
 * text unchanged, or throw), at most `maxDepth` levels deep; keys that could reach a prototype are dropped.
 *
 * @example replaceBulkIds({ value: "bulkId:u1" }, (id) => ids.get(id) ?? `bulkId:${id}`, 32);
 */
export function replaceBulkIds(
  value: unknown,
  resolve: (bulkId: string, text: string) => string,
  maxDepth: number,
  depth = 0,
): unknown {
  if (depth > maxDepth) return value;
  if (typeof value === "string") {
    const match = BULK_ID_REFERENCE.exec(value);
    return match ? resolve(match[1] as string, value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => replaceBulkIds(item, resolve, maxDepth, depth + 1));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value))
      if (!isForbiddenKey(key)) out[key] = replaceBulkIds(value[key], resolve, maxDepth, depth + 1);
    return out;
  }
  return value;
}
