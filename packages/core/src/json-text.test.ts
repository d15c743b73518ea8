import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lineColumn, locateJsonError, parseJsonText } from "./json-text.js";

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe("locateJsonError", () => {
  const cases: [name: string, { given: string; want: { line: number; column: number; message: string } }][] =
    [
      [
        "trailing comma in an array",
        { given: "[1, 2,]", want: { line: 1, column: 7, message: 'expected a value, found "]"' } },
      ],
      [
        "trailing comma in an object",
        {
          given: '{"a": 1,}',
          want: { line: 1, column: 9, message: 'expected a property name in double quotes, found "}"' },
        },
      ],
      [
        "missing colon",
        {
          given: '{"a" 1}',
          want: { line: 1, column: 6, message: 'expected ":" after the property name, found "1"' },
        },
      ],
      [
        "single-quoted property name",
        {
          given: "{'a': 1}",
          want: { line: 1, column: 2, message: 'expected a property name in double quotes, found "\'"' },
        },
      ],
      [
        "single-quoted string value",
        { given: "['a']", want: { line: 1, column: 2, message: 'expected a value, found "\'"' } },
      ],
      [
        "unquoted property name",
        {
          given: "{a: 1}",
          want: { line: 1, column: 2, message: 'expected a property name in double quotes, found "a"' },
        },
      ],
      [
        "unterminated string",
        { given: '"abc', want: { line: 1, column: 5, message: "unterminated string" } },
      ],
      [
        "unterminated string inside an object",
        { given: '{"a": "b', want: { line: 1, column: 9, message: "unterminated string" } },
      ],
      [
        "backslash at the end of the text",
        { given: '"ab\\', want: { line: 1, column: 4, message: "unterminated string" } },
      ],
      ["bad escape", { given: '"a\\x"', want: { line: 1, column: 3, message: 'invalid escape "\\x"' } }],
      [
        "single-quote escape",
        { given: '"it\\\'s"', want: { line: 1, column: 4, message: 'invalid escape "\\\'"' } },
      ],
      [
        "bad \\u escape",
        {
          given: '"\\u12G4"',
          want: { line: 1, column: 2, message: "invalid \\u escape: expected 4 hex digits" },
        },
      ],
      [
        "short \\u escape at the end",
        { given: '"\\u12', want: { line: 1, column: 2, message: "invalid \\u escape" } },
      ],
      [
        "tab inside a string",
        { given: '"a\tb"', want: { line: 1, column: 3, message: "control character in string" } },
      ],
      [
        "newline inside a string",
        { given: '["a\nb"]', want: { line: 1, column: 4, message: "control character in string" } },
      ],
      [
        "NUL inside a string",
        { given: '"\u0000"', want: { line: 1, column: 2, message: "control character in string" } },
      ],
      [
        "leading zero",
        { given: "01", want: { line: 1, column: 2, message: 'unexpected "1" after the JSON value' } },
      ],
      [
        "leading zero in an array",
        { given: "[01]", want: { line: 1, column: 3, message: 'expected "," or "]", found "1"' } },
      ],
      ["negative leading zero", { given: "-01", want: { line: 1, column: 3, message: 'unexpected "1"' } }],
      ["lone minus", { given: "-", want: { line: 1, column: 1, message: 'expected a value, found "-"' } }],
      [
        "lone minus in an array",
        { given: "[-]", want: { line: 1, column: 2, message: 'expected a value, found "-"' } },
      ],
      [
        "minus before a letter",
        { given: "-x", want: { line: 1, column: 1, message: 'expected a value, found "-"' } },
      ],
      ["plus sign", { given: "+1", want: { line: 1, column: 1, message: 'expected a value, found "+"' } }],
      [
        "fraction without digits",
        { given: "1.", want: { line: 1, column: 2, message: 'unexpected "." after the JSON value' } },
      ],
      [
        "fraction without integer part",
        { given: ".5", want: { line: 1, column: 1, message: 'expected a value, found "."' } },
      ],
      [
        "exponent without digits",
        { given: "[1e]", want: { line: 1, column: 3, message: 'expected "," or "]", found "e"' } },
      ],
      ["NaN", { given: "NaN", want: { line: 1, column: 1, message: 'expected a value, found "N"' } }],
      [
        "Infinity",
        { given: "-Infinity", want: { line: 1, column: 1, message: 'expected a value, found "-"' } },
      ],
      [
        "truncated literal",
        { given: "[tru]", want: { line: 1, column: 2, message: 'expected a value, found "t"' } },
      ],
      [
        "capitalized literal",
        { given: "True", want: { line: 1, column: 1, message: 'expected a value, found "T"' } },
      ],
      [
        "literal with trailing letters",
        { given: "nullx", want: { line: 1, column: 5, message: 'unexpected "x" after the JSON value' } },
      ],
      [
        "garbage after an object",
        {
          given: '{"a": 1} x',
          want: { line: 1, column: 10, message: 'unexpected "x" after the JSON value' },
        },
      ],
      [
        "two values",
        { given: "1 2", want: { line: 1, column: 3, message: 'unexpected "2" after the JSON value' } },
      ],
      [
        "extra closing bracket",
        { given: "[1]]", want: { line: 1, column: 4, message: 'unexpected "]" after the JSON value' } },
      ],
      [
        "empty text",
        { given: "", want: { line: 1, column: 1, message: "expected a value, found the end of the text" } },
      ],
      [
        "only whitespace",
        {
          given: "  \n ",
          want: { line: 2, column: 2, message: "expected a value, found the end of the text" },
        },
      ],
      [
        "unclosed empty array",
        { given: "[", want: { line: 1, column: 2, message: "expected a value, found the end of the text" } },
      ],
      [
        "unclosed array at EOF",
        {
          given: "[1, 2",
          want: { line: 1, column: 6, message: 'expected "," or "]", found the end of the text' },
        },
      ],
      [
        "unclosed object at EOF",
        {
          given: '{"a": 1',
          want: { line: 1, column: 8, message: 'expected "," or "}", found the end of the text' },
        },
      ],
      [
        "unclosed empty object",
        {
          given: "{",
          want: {
            line: 1,
            column: 2,
            message: "expected a property name in double quotes, found the end of the text",
          },
        },
      ],
      [
        "object without a value",
        { given: '{"a":}', want: { line: 1, column: 6, message: 'expected a value, found "}"' } },
      ],
      [
        "mismatched brackets",
        { given: "[1}", want: { line: 1, column: 3, message: 'expected "," or "]", found "}"' } },
      ],
      [
        "mismatched braces",
        { given: '{"a": [1}', want: { line: 1, column: 9, message: 'expected "," or "]", found "}"' } },
      ],
      [
        "missing comma between members",
        {
          given: '{"a": 1 "b": 2}',
          want: { line: 1, column: 9, message: 'expected "," or "}", found "\\""' },
        },
      ],
      ["byte order mark", { given: "\uFEFF{}", want: { line: 1, column: 1, message: "expected a value" } }],
      [
        "non-JSON whitespace (U+00A0)",
        { given: "[1,\u00A02]", want: { line: 1, column: 4, message: "expected a value" } },
      ],
      [
        "multi-line: error on line 3",
        {
          given: '{\n  "a": 1,\n  "b": tru\n}',
          want: { line: 3, column: 8, message: 'expected a value, found "t"' },
        },
      ],
      [
        "multi-line with CRLF: error on line 3",
        {
          given: '{\r\n  "a": [1,\r\n    2,,\r\n]}',
          want: { line: 3, column: 7, message: 'expected a value, found ","' },
        },
      ],
      [
        "multi-line: unclosed object reported on the last line",
        {
          given: '{\n  "a": {\n    "b": 1\n  }\n',
          want: { line: 5, column: 1, message: 'expected "," or "}", found the end of the text' },
        },
      ],
    ];

  it.each(cases)("%s", (_name, { given, want }) => {
    expect(parses(given)).toBe(false);
    const fault = locateJsonError(given);
    expect(fault).toBeDefined();
    expect({ line: fault?.line, column: fault?.column }).toEqual({ line: want.line, column: want.column });
    expect(fault?.message).toContain(want.message);
    // The offset agrees with the line and column.
    expect(lineColumn(given, fault?.offset ?? -1)).toEqual({
      offset: fault?.offset,
      line: want.line,
      column: want.column,
    });
  });

  const valid: [name: string, { given: string }][] = [
    ["a number", { given: "-0.5e+10" }],
    ["zero", { given: "0" }],
    ["surrounding whitespace", { given: " \t\r\n[1] \n" }],
    ["empty containers", { given: '{"a": [], "b": {}}' }],
    ["every escape", { given: '"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00"' }],
    ["a lone surrogate escape (JSON.parse accepts it)", { given: '"\\uD800"' }],
    ["a raw non-ASCII character", { given: '"é 😀"' }],
    ["DEL inside a string (not a control character in JSON)", { given: '"\u007f"' }],
    ["duplicate keys (JSON.parse accepts them)", { given: '{"a": 1, "a": 2}' }],
  ];
  it.each(valid)("returns undefined for valid JSON: %s", (_name, { given }) => {
    expect(parses(given)).toBe(true);
    expect(locateJsonError(given)).toBeUndefined();
  });
});

describe("parseJsonText", () => {
  it("returns the parsed value", () => {
    expect(parseJsonText('{"a": [1, "x", null, true]}')).toEqual({
      ok: true,
      value: { a: [1, "x", null, true] },
    });
  });

  it("returns the fault locateJsonError finds", () => {
    const text = '{\n  "userName": "bjensen",\n}';
    const result = parseJsonText(text);
    expect(result).toEqual({ ok: false, fault: locateJsonError(text) });
    expect(result.ok ? undefined : result.fault).toMatchObject({
      line: 3,
      column: 1,
      message: expect.stringContaining("property name"),
    });
  });
});

describe("lineColumn", () => {
  const cases: [
    name: string,
    { given: [text: string, offset: number]; want: { line: number; column: number } },
  ][] = [
    ["start of text", { given: ["abc", 0], want: { line: 1, column: 1 } }],
    ["middle of the first line", { given: ["abc", 2], want: { line: 1, column: 3 } }],
    ["the newline itself belongs to its line", { given: ["a\nb", 1], want: { line: 1, column: 2 } }],
    ["first character after a newline", { given: ["a\nb", 2], want: { line: 2, column: 1 } }],
    ["CRLF counts once", { given: ["a\r\nb", 3], want: { line: 2, column: 1 } }],
    ["end of text", { given: ["a\nbc", 4], want: { line: 2, column: 3 } }],
    ["third line", { given: ["x\ny\n  z", 6], want: { line: 3, column: 3 } }],
  ];
  it.each(cases)("%s", (_name, { given, want }) => {
    expect(lineColumn(...given)).toEqual({ offset: given[1], ...want });
  });
});

describe("properties", () => {
  it("(a) any JSON.stringify output is valid and parses back to the same value", () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constantFrom("\t", " ", "\r\n")),
        (value, indent) => {
          const text = JSON.stringify(value, null, indent);
          expect(locateJsonError(text)).toBeUndefined();
          expect(parseJsonText(text)).toEqual({ ok: true, value: JSON.parse(text) });
        },
      ),
      { numRuns: 1000 },
    );
  });

  const jsonish = fc.constantFrom(..."{}[]:,\"\\ \t\n\r-+.0123456789eEtrufalsn'/xbu\u0000\u001f\u00a0\u2028");

  it("(b) locateJsonError is undefined exactly when JSON.parse succeeds, for arbitrary strings", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: jsonish, maxLength: 40 }), fc.json()),
        (text) => {
          const fault = locateJsonError(text);
          expect(fault === undefined).toBe(parses(text));
          if (fault) {
            expect(fault.offset).toBeGreaterThanOrEqual(0);
            expect(fault.offset).toBeLessThanOrEqual(text.length);
            expect(lineColumn(text, fault.offset)).toEqual({
              offset: fault.offset,
              line: fault.line,
              column: fault.column,
            });
          }
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("(b) the same holds for valid JSON with one character deleted or inserted", () => {
    const mutated = fc.tuple(fc.json(), fc.nat(), fc.boolean(), jsonish).map(([text, at, insert, ch]) => {
      const i = at % (text.length + 1);
      return insert ? text.slice(0, i) + ch + text.slice(i) : text.slice(0, i) + text.slice(i + 1);
    });
    fc.assert(
      fc.property(mutated, (text) => {
        expect(locateJsonError(text) === undefined).toBe(parses(text));
      }),
      { numRuns: 5000 },
    );
  });

  it("(c) 100,000 nested '[' do not overflow the stack and the fault is at the end", () => {
    const text = "[".repeat(100_000);
    let fault: ReturnType<typeof locateJsonError>;
    expect(() => {
      fault = locateJsonError(text);
    }).not.toThrow();
    expect(fault).toEqual({
      offset: 100_000,
      line: 1,
      column: 100_001,
      message: "expected a value, found the end of the text",
    });
    const result = parseJsonText(text);
    expect(result.ok).toBe(false);
  });

  it("(c) 100,000 nested objects without their closing braces report the end", () => {
    const text = '{"a":'.repeat(100_000);
    expect(locateJsonError(text)).toMatchObject({
      offset: text.length,
      message: "expected a value, found the end of the text",
    });
  });

  it("(c) 100,000 balanced nested arrays are valid", () => {
    const text = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    expect(locateJsonError(text)).toBeUndefined();
  });
});
