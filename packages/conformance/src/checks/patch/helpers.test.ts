import { describe, expect, it } from "vitest";
import type { Exchange } from "../../http.js";
import { parseAttribute } from "../../schema/model.js";
import { listed } from "./subjects.js";
import { canonical, wrongError } from "./support.js";
import { holds, unassigned } from "./values.js";

const emails = parseAttribute({
  name: "emails",
  type: "complex",
  multiValued: true,
  subAttributes: [
    { name: "value", type: "string" },
    { name: "type", type: "string" },
    { name: "primary", type: "boolean" },
  ],
});
const hired = parseAttribute({ name: "hired", type: "dateTime" });
const code = parseAttribute({ name: "code", type: "string", caseExact: true });
if (!emails || !hired || !code) throw new Error("fixture attributes did not parse");

function exchange(status: number, json: unknown): Exchange {
  const text = JSON.stringify(json);
  return { method: "PATCH", path: "/Users/1", sent: "{}", status, headers: new Headers(), text, json };
}

describe("holds", () => {
  it.each([
    [
      "each value sent is somewhere in the list",
      [{ value: "a@x.com" }],
      [{ value: "b@x.com" }, { value: "A@x.com", type: "work" }],
      true,
    ],
    [
      "a value missing from the list",
      [{ value: "a@x.com" }, { value: "c@x.com" }],
      [{ value: "a@x.com" }],
      false,
    ],
    [
      "a sub-attribute read back different",
      [{ value: "a@x.com", type: "work" }],
      [{ value: "a@x.com", type: "home" }],
      false,
    ],
    ["nothing read back", [{ value: "a@x.com" }], undefined, false],
    ["a single object where a list belongs", [{ value: "a@x.com" }], { value: "a@x.com" }, false],
  ] as const)("multi-valued complex: %s", (_name, sent, got, want) => {
    expect(holds(emails, sent, got)).toBe(want);
  });

  it("compares dateTime as instants and caseExact strings exactly", () => {
    expect(holds(hired, "2021-02-03T04:05:06Z", "2021-02-03T05:05:06.000+01:00")).toBe(true);
    expect(holds(hired, "2021-02-03T04:05:06Z", "2021-02-03T04:05:07Z")).toBe(false);
    expect(holds(code, "AbC", "abc")).toBe(false);
    expect(holds(code, "AbC", "AbC")).toBe(true);
  });
});

describe("unassigned (RFC 7644 §3.5.2.2)", () => {
  it.each([
    [undefined, true],
    [null, true],
    [[], true],
    ["", false],
    [[{ value: "x" }], false],
    [false, false],
  ] as const)("%j → %s", (value, want) => {
    expect(unassigned(value)).toBe(want);
  });
});

describe("canonical", () => {
  it("ignores key order and meta, but not values or list order", () => {
    const a = { id: "1", meta: { version: 'W/"1"' }, name: { givenName: "A", familyName: "B" } };
    const b = { name: { familyName: "B", givenName: "A" }, id: "1", meta: { version: 'W/"2"' } };
    expect(canonical(a)).toBe(canonical(b));
    expect(canonical(a)).not.toBe(canonical({ ...b, id: "2" }));
    expect(canonical([1, 2])).not.toBe(canonical([2, 1]));
  });
});

describe("wrongError", () => {
  it.each([
    [exchange(400, { scimType: "noTarget" }), ["noTarget"], undefined],
    [exchange(400, { scimType: "invalidPath" }), ["invalidPath", "noTarget"], undefined],
    [exchange(400, { scimType: "invalidValue" }), ["mutability"], 'expected scimType "mutability"'],
    [exchange(400, {}), ["noTarget"], 'expected scimType "noTarget"'],
    [exchange(200, {}), ["noTarget"], "expected 400"],
    [exchange(500, { scimType: "noTarget" }), ["noTarget"], "expected 400"],
  ] as const)("%# → %s", (answer, types, want) => {
    expect(wrongError(answer, 400, types)).toBe(want);
  });
});

describe("listed", () => {
  it("names at most four attributes and counts the rest", () => {
    expect(listed(["a", "b"])).toBe("a, b");
    expect(listed(["a", "b", "c", "d", "e", "f"])).toBe("a, b, c, d and 2 more");
  });
});
