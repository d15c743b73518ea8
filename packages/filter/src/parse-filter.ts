/** The filter and PATCH-path parsers' entry points (RFC 7644 §3.4.2.2, §3.5.2). */
import type { AttributePath, Filter, Path } from "./ast.js";
import { attributePath, checkLength } from "./attribute-path.js";
import { Parser } from "./filter-parser.js";
import { depthLimit, type ParseOptions } from "./parse-options.js";

/**
 * Parses a SCIM filter (RFC 7644 §3.4.2.2) into a {@link Filter}. Operators and keywords match in any
 * case; attribute names are kept as written (resolution is {@link compileFilter}'s job). Runs in time
 * linear in the text, with length and depth limits ({@link ParseOptions}).
 *
 * @throws {FilterSyntaxError} (a {@link ScimError} 400 `invalidFilter`) naming the column and what was expected.
 * @example
 * parseFilter('userName Eq "bjensen" and emails[type eq "work"]');
 * // { op: "and", filters: [
 * //   { op: "eq", path: { attribute: "userName" }, value: "bjensen" },
 * //   { op: "valuePath", path: { attribute: "emails" }, filter: { op: "eq", path: { attribute: "type" }, value: "work" } } ] }
 */
export function parseFilter(text: string, options?: ParseOptions): Filter {
  checkLength(text, options, "filter");
  const parser = new Parser(text, depthLimit(options), "filter");
  parser.skipWs();
  if (parser.pos >= text.length) parser.fail("the filter is empty", parser.pos);
  const filter = parser.parseOr();
  parser.skipWs();
  const at = parser.pos;
  if (at < text.length) {
    const c = text.charCodeAt(at);
    if (c === 41 || c === 93)
      parser.fail(`unexpected "${text[at]}" at column ${at + 1} with nothing to close`, at);
    parser.fail(
      `expected "and", "or" or the end of the filter at column ${at + 1}, found ${parser.found(at)}`,
      at,
    );
  }
  return filter;
}

/**
 * Parses a PATCH operation path (RFC 7644 §3.5.2 Figure 7: `attrPath / valuePath [subAttr]`).
 *
 * @throws {FilterSyntaxError} (a {@link ScimError} 400 `invalidPath`) naming the column and what was expected.
 * @example
 * parsePath('addresses[type eq "work"].streetAddress');
 * // { path: { attribute: "addresses" }, filter: { op: "eq", path: { attribute: "type" }, value: "work" }, subAttribute: "streetAddress" }
 */
export function parsePath(text: string, options?: ParseOptions): Path {
  checkLength(text, options, "path");
  const parser = new Parser(text, depthLimit(options), "path");
  parser.skipWs();
  if (parser.pos >= text.length) parser.fail("the path is empty", parser.pos);
  const start = parser.pos;
  const path = parser.parseAttributePath();
  let result: Path = { path };
  if (text.charCodeAt(parser.pos) === 91 /* [ */) {
    const filter = parser.parseBracket(text.slice(start, parser.pos));
    result = { path, filter };
    if (text.charCodeAt(parser.pos) === 46 /* . */) {
      parser.pos++;
      result = { path, filter, subAttribute: parser.parseSubAttribute() };
    }
  }
  parser.skipWs();
  const at = parser.pos;
  if (at < text.length) {
    const expected =
      result.filter === undefined
        ? `"[" or the end of the path`
        : result.subAttribute === undefined
          ? `"." or the end of the path`
          : "the end of the path";
    parser.fail(`expected ${expected} at column ${at + 1}, found ${parser.found(at)}`, at);
  }
  return result;
}

/**
 * Parses one attribute path (`[URI ":"] ATTRNAME ["." ATTRNAME]`), as the filter grammar and the
 * `attributes`/`sortBy` query parameters write it.
 *
 * @throws {FilterSyntaxError} (400 `invalidPath`) when `text` is not exactly one attribute path.
 * @example
 * parseAttributePath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value");
 * // { uri: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", attribute: "manager", subAttribute: "value" }
 */
export function parseAttributePath(text: string): AttributePath {
  return attributePath(text, "path");
}
