/** The recursive-descent parser behind {@link parseFilter} and {@link parsePath}. */
import type { AttributePath, ComparisonOperator, ComparisonValue, Filter, LogicalFilter } from "./ast.js";
import { describeAt, isAttributeName, isNameChar, isPathChar, scanAttributePath } from "./attribute-path.js";
import { FilterSyntaxError } from "./errors.js";

/** The operator spelled by two lower-cased char codes, if any. */
function operatorAt(c1: number, c2: number): ComparisonOperator | "pr" | undefined {
  switch (c1) {
    case 101: // e
      return c2 === 113 ? "eq" : c2 === 119 ? "ew" : undefined;
    case 110: // n
      return c2 === 101 ? "ne" : undefined;
    case 99: // c
      return c2 === 111 ? "co" : undefined;
    case 115: // s
      return c2 === 119 ? "sw" : undefined;
    case 103: // g
      return c2 === 116 ? "gt" : c2 === 101 ? "ge" : undefined;
    case 108: // l
      return c2 === 116 ? "lt" : c2 === 101 ? "le" : undefined;
    case 112: // p
      return c2 === 114 ? "pr" : undefined;
    default:
      return undefined;
  }
}
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /^[0-9A-Fa-f]{4}$/;
const OPERATOR_LIST = "eq, ne, co, sw, ew, gt, lt, ge, le or pr";

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Recursive descent over one filter or PATCH path, with the position of every failure. */
export class Parser {
  pos: number;
  depth: number;
  /** The attribute path whose `[...]` is being parsed, if any: value paths do not nest. */
  owner: string | undefined;
  readonly text: string;
  readonly maxDepth: number;
  readonly scimType: "invalidFilter" | "invalidPath";

  // Fields are set here rather than by initializers, which V8 runs as a separate function per instance.
  constructor(text: string, maxDepth: number, kind: "filter" | "path") {
    this.pos = 0;
    this.depth = 0;
    this.owner = undefined;
    this.text = text;
    this.maxDepth = maxDepth;
    this.scimType = kind === "filter" ? "invalidFilter" : "invalidPath";
  }

  fail(message: string, at: number): never {
    throw new FilterSyntaxError(message, at + 1, this.scimType);
  }

  /** Describes what is at `at` for an error message: a quoted token, or the end of the text. */
  found(at: number): string {
    return describeAt(
      this.text,
      at,
      this.scimType === "invalidFilter" ? "the end of the filter" : "the end of the path",
    );
  }

  skipWs(): void {
    const { text } = this;
    let p = this.pos;
    while (p < text.length && isWs(text.charCodeAt(p))) p++;
    this.pos = p;
  }

  enter(at: number): void {
    if (++this.depth > this.maxDepth) {
      this.fail(
        `the ${this.scimType === "invalidFilter" ? "filter" : "path"} nests "(", "not (" and "[" more than ${this.maxDepth} levels deep at column ${at + 1}`,
        at,
      );
    }
  }

  /** True (and consumed) when the keyword `word` (lower case) is at the current position as a whole word. */
  keyword(word: string): boolean {
    const { text, pos } = this;
    const n = word.length;
    // The first char decides almost always (after an expression: the end, ")", "]" or another keyword).
    if (pos + n > text.length || (text.charCodeAt(pos) | 32) !== word.charCodeAt(0)) return false;
    if (isPathChar(text.charCodeAt(pos + n))) return false;
    for (let i = 1; i < n; i++) if ((text.charCodeAt(pos + i) | 32) !== word.charCodeAt(i)) return false;
    this.pos = pos + n;
    return true;
  }

  pathToken(start: number): string {
    const { text } = this;
    let p = start;
    while (p < text.length && isPathChar(text.charCodeAt(p))) p++;
    return text.slice(start, p);
  }

  /** Parses `FILTER` (an `or` chain) and the whitespace after it. */
  parseOr(): Filter {
    // parseAnd returns with the whitespace after its expression skipped.
    const first = this.parseAnd();
    if (!this.keyword("or")) return first;
    const filters: Filter[] = [first];
    do filters.push(this.parseAnd());
    while (this.keyword("or"));
    return { op: "or", filters: filters as unknown as LogicalFilter["filters"] };
  }

  /** Parses an `and` chain and the whitespace after it. */
  parseAnd(): Filter {
    const first = this.parseUnary();
    this.skipWs();
    if (!this.keyword("and")) return first;
    const filters: Filter[] = [first];
    do {
      filters.push(this.parseUnary());
      this.skipWs();
    } while (this.keyword("and"));
    return { op: "and", filters: filters as unknown as LogicalFilter["filters"] };
  }

  parseUnary(): Filter {
    this.skipWs();
    const { text } = this;
    const start = this.pos;
    const c = text.charCodeAt(start);
    if (c === 40 /* ( */) {
      this.enter(start);
      this.pos++;
      const inner = this.parseOr();
      this.close(41, ")", start);
      this.depth--;
      return inner;
    }
    if ((c | 32) === 110 /* n */ && this.keyword("not")) {
      this.skipWs();
      const next = this.pos;
      if (text.charCodeAt(next) === 40) {
        this.enter(start);
        this.pos++;
        const inner = this.parseOr();
        this.close(41, ")", next);
        this.depth--;
        return { op: "not", filter: inner };
      }
      // "not" is also a valid attribute name: `not eq "x"`, `not pr`, `not[...]` are attribute expressions.
      const word = this.pathToken(next);
      const isOperator =
        word.length === 2 && operatorAt(word.charCodeAt(0) | 32, word.charCodeAt(1) | 32) !== undefined;
      if (text.charCodeAt(next) !== 91 && !isOperator) {
        this.fail(`expected "(" after "not" at column ${next + 1}, found ${this.found(next)}`, next);
      }
      this.pos = start;
    }
    if (start >= text.length || !isPathChar(c)) {
      this.fail(
        `expected an attribute path, "(" or "not (" at column ${start + 1}, found ${this.found(start)}`,
        start,
      );
    }
    return this.parseAttributeExpression();
  }

  close(code: number, char: string, openedAt: number): void {
    this.skipWs();
    if (this.text.charCodeAt(this.pos) !== code) {
      const expected = this.pos < this.text.length ? `"and", "or" or "${char}"` : `"${char}"`;
      this.fail(
        `expected ${expected} at column ${this.pos + 1} to close the "${char === ")" ? "(" : "["}" at column ${openedAt + 1}, found ${this.found(this.pos)}`,
        this.pos,
      );
    }
    this.pos++;
  }

  parseAttributeExpression(): Filter {
    const start = this.pos;
    const path = this.parseAttributePath();
    const afterPath = this.pos;
    this.skipWs();
    // The whitespace is skipped once, here, for both the "[" test and the operator.
    if (this.text.charCodeAt(this.pos) !== 91 /* [ */) return this.parseComparison(path, start, afterPath);
    const inner = this.parseBracket(this.text.slice(start, afterPath));
    if (this.text.charCodeAt(this.pos) !== 46 /* . */) return { op: "valuePath", path, filter: inner };
    // Entra ID's `emails[type eq "work"].value eq "x"`: the comparison applies to the same element the
    // bracket selects, so it joins the bracket's conditions (see README, Decisions).
    this.pos++;
    const subStart = this.pos;
    const sub = this.parseSubAttribute();
    const afterSub = this.pos;
    this.skipWs();
    const last = this.parseComparison({ attribute: sub }, subStart, afterSub);
    const conditions = inner.op === "and" ? [...inner.filters, last] : [inner, last];
    return {
      op: "valuePath",
      path,
      filter: { op: "and", filters: conditions as unknown as LogicalFilter["filters"] },
    };
  }

  /** Parses `[valFilter]` of the attribute path `name` at the current position, leaving the position after "]". */
  parseBracket(name: string): Filter {
    const open = this.pos;
    const { owner } = this;
    if (owner !== undefined) {
      // RFC 7644 §3.4.2.2: valFilter has no valuePath; its paths are sub-attributes, never complex (RFC 7643 §2.3.8).
      this.fail(
        `unexpected "[" at column ${open + 1}: value paths do not nest ("${name}[...]" inside "${owner}[...]"); the filter in "[...]" compares sub-attributes, which are never complex (RFC 7644 §3.4.2.2 valFilter, RFC 7643 §2.3.8)`,
        open,
      );
    }
    this.enter(open);
    this.pos++;
    this.owner = name;
    const inner = this.parseOr();
    this.close(93, "]", open);
    this.owner = undefined;
    this.depth--;
    return inner;
  }

  parseSubAttribute(): string {
    const { text } = this;
    const start = this.pos;
    let p = start;
    while (p < text.length && isNameChar(text.charCodeAt(p))) p++;
    const name = text.slice(start, p);
    if (!isAttributeName(name)) {
      this.fail(
        `expected a sub-attribute name after "." at column ${start + 1}, found ${this.found(start)}`,
        start,
      );
    }
    if (p < text.length && isPathChar(text.charCodeAt(p))) {
      this.fail(`unexpected ${this.found(p)} at column ${p + 1}: a path has at most one sub-attribute`, p);
    }
    this.pos = p;
    return name;
  }

  /**
   * Parses `op [value]` at the current position, after the attribute path that spans `pathStart` to
   * `afterPath` and the whitespace after it (the caller skipped it).
   */
  parseComparison(path: AttributePath, pathStart: number, afterPath: number): Filter {
    const { text } = this;
    const opStart = this.pos;
    if (opStart > afterPath && !isPathChar(text.charCodeAt(opStart + 2))) {
      const op = operatorAt(text.charCodeAt(opStart) | 32, text.charCodeAt(opStart + 1) | 32);
      if (op !== undefined) {
        this.pos = opStart + 2;
        if (op === "pr") return { op: "pr", path };
        this.skipWs();
        return { op, path, value: this.parseValue(opStart, text) };
      }
    }
    const token = this.pathToken(opStart);
    if (token === "" || opStart === afterPath) {
      this.fail(
        `expected an operator (${OPERATOR_LIST}) after ${JSON.stringify(text.slice(pathStart, afterPath))} at column ${opStart + 1}, found ${this.found(opStart)}`,
        opStart,
      );
    }
    this.fail(
      `unknown operator ${JSON.stringify(token)} at column ${opStart + 1}; expected ${OPERATOR_LIST}`,
      opStart,
    );
  }

  parseValue(opStart: number, text: string): ComparisonValue {
    const at = this.pos;
    const c = text.charCodeAt(at);
    if (c === 34 /* " */) return this.parseString();
    if (c === 45 || (c >= 48 && c <= 57)) {
      NUMBER.lastIndex = at;
      const match = NUMBER.exec(text);
      const stop = match ? at + match[0].length : at;
      if (!match || (stop < text.length && isPathChar(text.charCodeAt(stop)))) {
        this.fail(
          `invalid number ${this.found(at)} at column ${at + 1}; numbers are JSON numbers such as 42, -1.5 or 1e3`,
          at,
        );
      }
      const value = Number(match[0]);
      if (!Number.isFinite(value)) this.fail(`the number at column ${at + 1} is out of range`, at);
      this.pos = stop;
      return value;
    }
    const expected = `expected a value after ${JSON.stringify(text.slice(opStart, opStart + 2))} at column ${at + 1}`;
    if (isPathChar(c)) {
      const word = this.pathToken(at);
      const lower = word.toLowerCase();
      if (lower === "true" || lower === "false" || lower === "null") {
        this.pos = at + word.length;
        return lower === "null" ? null : lower === "true";
      }
      this.fail(
        `${expected}, found ${JSON.stringify(word)}: string values must be in double quotes (the compValue of RFC 7644 §3.4.2.2 is a JSON value)`,
        at,
      );
    }
    if (c === 39 /* ' */) {
      this.fail(
        `${expected}, found a single-quoted string: string values must be in double quotes, as in JSON`,
        at,
      );
    }
    this.fail(`${expected}, found ${this.found(at)}`, at);
  }

  parseString(): string {
    const { text } = this;
    const start = this.pos;
    // Native scans: the closing quote, then a backslash inside (rare: escapes take the slow loop below).
    const quote = text.indexOf('"', start + 1);
    if (quote < 0) this.fail(`unterminated string starting at column ${start + 1}`, start);
    const plain = text.slice(start + 1, quote);
    if (!plain.includes("\\")) {
      this.pos = quote + 1;
      return plain;
    }
    const n = text.length;
    let i = start + 1;
    let c = 0;
    let out = "";
    let chunk = start + 1;
    for (;;) {
      if (i >= n) this.fail(`unterminated string starting at column ${start + 1}`, start);
      c = text.charCodeAt(i);
      if (c === 34) {
        this.pos = i + 1;
        return out + text.slice(chunk, i);
      }
      if (c !== 92) {
        i++;
        continue;
      }
      out += text.slice(chunk, i);
      const e = text[i + 1];
      let width = 2;
      switch (e) {
        case '"':
        case "\\":
        case "/":
          out += e;
          break;
        case "b":
          out += "\b";
          break;
        case "f":
          out += "\f";
          break;
        case "n":
          out += "\n";
          break;
        case "r":
          out += "\r";
          break;
        case "t":
          out += "\t";
          break;
        case "u": {
          const hex = text.slice(i + 2, i + 6);
          if (!HEX4.test(hex))
            this.fail(`invalid escape "\\u${hex}" at column ${i + 1}; expected 4 hex digits`, i);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          width = 6;
          break;
        }
        case undefined:
          this.fail(`unterminated string starting at column ${start + 1}`, start);
          break;
        default:
          this.fail(`invalid escape "\\${e}" in a string at column ${i + 1}`, i);
      }
      i += width;
      chunk = i;
    }
  }

  parseAttributePath(): AttributePath {
    return scanAttributePath(this, this.pos);
  }
}
