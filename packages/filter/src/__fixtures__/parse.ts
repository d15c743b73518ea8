import type { Filter } from "../ast.js";
import { FilterSyntaxError } from "../errors.js";

/** `attribute pr` as a tree. */
export const pr = (attribute: string): Filter => ({ op: "pr", path: { attribute } });

/** The FilterSyntaxError `run` throws; fails the test when it returns or throws anything else. */
export function failure(run: () => unknown): FilterSyntaxError {
  try {
    run();
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error;
    throw error;
  }
  throw new Error("expected a FilterSyntaxError");
}
