/** Limits of the parser, which the printer and the compiler apply too: a leaf module they all share. */
import type { DEFAULT_MAX_FILTER_LENGTH } from "./attribute-path.js";

/**
 * Limits that keep hostile input cheap. Both limits fail with the same clear 400 as any syntax error.
 *
 * @example
 * parseFilter(text, { maxLength: 4096, maxDepth: 16 });
 */
export interface ParseOptions {
  /** Longest accepted text in UTF-16 code units; default {@link DEFAULT_MAX_FILTER_LENGTH}. */
  readonly maxLength?: number;
  /**
   * Deepest accepted nesting of `(`, `not (` and `[`; default {@link DEFAULT_MAX_FILTER_DEPTH}. Values
   * above 1,000 count as 1,000, so no setting can overflow the stack.
   */
  readonly maxDepth?: number;
}

/**
 * Default deepest nesting of `(`, `not (` and `[`: 64 levels, far beyond any real filter.
 *
 * @example
 * parseFilter("(".repeat(65) + "title pr" + ")".repeat(65)); // throws 400 invalidFilter
 */
export const DEFAULT_MAX_FILTER_DEPTH = 64;

/** The hard ceiling on `maxDepth`: recursion stays far below any JavaScript engine's stack size. */
const DEPTH_CEILING = 1000;

/** The effective depth limit for `options`. */
export function depthLimit(options: { readonly maxDepth?: number } | undefined): number {
  const max = options?.maxDepth ?? DEFAULT_MAX_FILTER_DEPTH;
  return Number.isNaN(max) ? DEFAULT_MAX_FILTER_DEPTH : Math.min(max, DEPTH_CEILING);
}
