/**
 * Where and why a JSON text is malformed, as found by {@link locateJsonError}.
 *
 * @example
 * const fault: JsonFault = { offset: 12, line: 2, column: 5, message: 'expected "," or "}"' };
 */
export interface JsonFault {
  /** 0-based character offset. */
  readonly offset: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  readonly message: string;
}

/**
 * Parses JSON like `JSON.parse`, but on failure says where: returns `{ ok: false, fault }` with the
 * 1-based line and column of the first error (V8's own messages do not always carry a position).
 *
 * @example
 * const r = parseJsonText('{"a": }');
 * if (!r.ok) console.log(`${r.fault.line}:${r.fault.column} ${r.fault.message}`); // 1:7 expected a value
 */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; fault: JsonFault } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return {
      ok: false,
      fault: locateJsonError(text) ?? { ...lineColumn(text, text.length), message: "invalid JSON" },
    };
  }
}

/** 1-based line and column of `offset` in `text`. @example lineColumn("a\nb", 2); // { offset: 2, line: 2, column: 1 } */
export function lineColumn(text: string, offset: number): { offset: number; line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    // LF, CRLF and a lone CR each end a line.
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

class Fault {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/**
 * Scans `text` as JSON (RFC 8259) and returns the first fault, or `undefined` when it is valid.
 * Iterative, so hostile nesting cannot overflow the stack.
 *
 * @example
 * locateJsonError('[1, 2,]')?.message; // "expected a value"
 */
export function locateJsonError(text: string): JsonFault | undefined {
  try {
    scan(text);
    return undefined;
  } catch (e) {
    if (e instanceof Fault) return { ...lineColumn(text, e.offset), message: e.message };
    throw e;
  }
}

function describe(text: string, i: number): string {
  if (i >= text.length) return "the end of the text";
  const ch = text[i] as string;
  return JSON.stringify(ch);
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function scan(text: string): void {
  let i = 0;
  const n = text.length;
  // Stack of open containers: "{" or "[".
  const stack: string[] = [];
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const string = () => {
    // text[i] === '"'
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c === 92) {
        const e = text[i + 1];
        if (e === undefined) throw new Fault(i, "unterminated string");
        if ('"\\/bfnrt'.includes(e)) i += 2;
        else if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
            throw new Fault(i, "invalid \\u escape: expected 4 hex digits");
          i += 6;
        } else throw new Fault(i, `invalid escape "\\${e}"`);
      } else if (c < 32) throw new Fault(i, "control character in string (escape it)");
      else i++;
    }
    throw new Fault(n, "unterminated string");
  };
  const number = () => {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m || m[0] === "") throw new Fault(i, `expected a value, found ${describe(text, i)}`);
    i += m[0].length;
  };
  // Parses one value; containers push onto the stack and are closed by the loop below.
  const value = (): boolean => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      stack.push("{");
      ws();
      if (text[i] === "}") {
        i++;
        stack.pop();
        return false;
      }
      key();
      return true;
    }
    if (c === "[") {
      i++;
      stack.push("[");
      ws();
      if (text[i] === "]") {
        i++;
        stack.pop();
        return false;
      }
      return true;
    }
    if (c === '"') string();
    else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) number();
    else if (text.startsWith("true", i)) i += 4;
    else if (text.startsWith("false", i)) i += 5;
    else if (text.startsWith("null", i)) i += 4;
    else throw new Fault(i, `expected a value, found ${describe(text, i)}`);
    return false;
  };
  const key = () => {
    ws();
    if (text[i] !== '"')
      throw new Fault(i, `expected a property name in double quotes, found ${describe(text, i)}`);
    string();
    ws();
    if (text[i] !== ":")
      throw new Fault(i, `expected ":" after the property name, found ${describe(text, i)}`);
    i++;
  };

  let opened = value();
  for (;;) {
    if (opened) {
      // A container was just opened (and, for an object, its first key read): read its first value.
      opened = value();
      continue;
    }
    ws();
    const top = stack[stack.length - 1];
    if (top === undefined) break;
    const c = text[i];
    if (c === ",") {
      i++;
      if (top === "{") key();
      opened = value();
    } else if ((top === "{" && c === "}") || (top === "[" && c === "]")) {
      i++;
      stack.pop();
    } else {
      throw new Fault(i, `expected "," or "${top === "{" ? "}" : "]"}", found ${describe(text, i)}`);
    }
  }
  if (i < n) throw new Fault(i, `unexpected ${describe(text, i)} after the JSON value`);
}
