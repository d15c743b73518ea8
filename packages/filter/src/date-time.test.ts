import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { instant } from "./comparison.js";
import { compileFilter } from "./compile-filter.js";
import { fastInstant, instantOf } from "./date-time.js";

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** Strings of the fast path's shapes, with fields that are sometimes out of range or malformed. */
const dateTimeLike = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(1900, 2000, 2023, 2024, 2100)),
    month: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 19 })),
    day: fc.oneof(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 39 })),
    hour: fc.oneof(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 29 })),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
    t: fc.constantFrom("T", "t", " "),
    fraction: fc.oneof(fc.constant(""), fc.constant("."), fc.stringMatching(/^\.[0-9]{1,12}$/)),
    zone: fc.oneof(
      fc.constantFrom("", "Z", "z", "+00:00", "-00:00", "Zz", "+0100", "+1:00"),
      fc
        .tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }))
        .map(([sign, h, m]) => `${sign}${pad(h, 2)}:${pad(m, 2)}`),
    ),
  })
  .map(
    (f) =>
      `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}${f.t}${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}${f.fraction}${f.zone}`,
  );

const valid = fc
  .date({
    min: new Date("0000-01-01T00:00:00Z"),
    max: new Date("9999-12-31T23:59:59.999Z"),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString());

describe("fastInstant: the dateTime fast path (RFC 7643 §2.3.5)", () => {
  test("agrees with instant (Date.parse) whenever it answers, and instantOf always agrees", () => {
    fc.assert(
      fc.property(fc.oneof(dateTimeLike, valid), (text) => {
        const fast = fastInstant(text);
        if (!Number.isNaN(fast)) expect(fast).toBe(instant(text));
        expect(instantOf(text)).toBe(instant(text));
      }),
      { numRuns: 20_000 },
    );
  });

  test("answers the canonical shapes itself, and leaves Date.parse's own cases to it", () => {
    expect(fastInstant("2011-05-13T04:42:34Z")).toBe(1_305_261_754_000);
    expect(fastInstant("2011-05-13T04:42:34.5+02:00")).toBe(1_305_254_554_500);
    expect(fastInstant("2011-05-13T04:42:34.123456Z")).toBe(1_305_261_754_123);
    expect(fastInstant("0000-03-01T00:00:00Z")).toBe(Date.parse("0000-03-01T00:00:00Z"));
    expect(fastInstant("2024-02-29T00:00:00Z")).toBe(Date.UTC(2024, 1, 29));
    for (const odd of [
      "2011-05-13T24:00:00Z",
      "2023-02-29T00:00:00Z",
      "2011-05-13T04:42:60Z",
      "+02011-05-13T04:42:34Z",
    ])
      expect(fastInstant(odd)).toBeNaN();
    // Those odd ones still compare as instant() reads them.
    expect(instantOf("2011-05-13T24:00:00Z")).toBe(instant("2011-05-13T24:00:00Z"));
  });

  test("a compiled dateTime comparison agrees with comparing Date.parse instants", () => {
    const ops = ["eq", "ne", "gt", "ge", "lt", "le"] as const;
    fc.assert(
      fc.property(fc.constantFrom(...ops), valid, fc.oneof(dateTimeLike, valid), (op, operand, stored) => {
        const match = compileFilter(`meta.lastModified ${op} "${operand}"`, { resourceType: "User" });
        const a = instant(stored);
        const b = instant(operand);
        const want = Number.isNaN(a)
          ? false
          : { eq: a === b, ne: a !== b, gt: a > b, ge: a >= b, lt: a < b, le: a <= b }[op];
        expect(match({ meta: { lastModified: stored } })).toBe(want);
      }),
      { numRuns: 5_000 },
    );
  });

  test("instantOf keeps answering right past its cache's size, for valid and invalid texts", () => {
    const base = Date.UTC(2020, 0, 1);
    for (let i = 0; i < 70_000; i++) {
      const text = new Date(base + i * 1000).toISOString();
      expect(instantOf(text)).toBe(base + i * 1000);
      if (i % 7_000 === 0) {
        // Again (from the cache), and texts Date.parse must settle.
        expect(instantOf(text)).toBe(base + i * 1000);
        expect(instantOf(`${text.slice(0, 5)}13${text.slice(7)}`)).toBeNaN();
        expect(instantOf(`${text.slice(0, 11)}24:00:00Z`)).toBe(instant(`${text.slice(0, 11)}24:00:00Z`));
      }
    }
  });
});
