import { ScimError } from "@scimkit/core";

/**
 * A filter or PATCH path that does not parse: a {@link ScimError} with status 400, `scimType`
 * `invalidFilter` (from {@link parseFilter}) or `invalidPath` (from {@link parsePath}), and the
 * 1-based `column` of the offending character, which the `detail` also names.
 *
 * @example
 * try {
 *   parseFilter('userName eq');
 * } catch (e) {
 *   if (e instanceof FilterSyntaxError) console.log(e.column, e.detail); // 12 'expected a value after "eq" at column 12, found the end of the filter'
 * }
 */
export class FilterSyntaxError extends ScimError {
  /** 1-based position (UTF-16 code units) in the text where the problem is. */
  readonly column: number;

  constructor(detail: string, column: number, scimType: "invalidFilter" | "invalidPath" = "invalidFilter") {
    super({ status: 400, scimType, detail });
    this.column = column;
  }
}
