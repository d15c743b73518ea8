import { describe, expect, test } from "vitest";
import { failure } from "./__fixtures__/parse.js";
import { parseFilter } from "./parse-filter.js";

describe("parseFilter: value paths and the Entra ID form", () => {
  test("value path with a nested logical filter", () => {
    expect(parseFilter('emails[type eq "work" and (value co "@a.com" or value co "@b.com")]')).toEqual({
      op: "valuePath",
      path: { attribute: "emails" },
      filter: {
        op: "and",
        filters: [
          { op: "eq", path: { attribute: "type" }, value: "work" },
          {
            op: "or",
            filters: [
              { op: "co", path: { attribute: "value" }, value: "@a.com" },
              { op: "co", path: { attribute: "value" }, value: "@b.com" },
            ],
          },
        ],
      },
    });
  });

  test('emails[type eq "work"].value eq "x" joins the comparison to the bracket (same element)', () => {
    expect(parseFilter('emails[type eq "work"].value eq "x@example.com"')).toEqual({
      op: "valuePath",
      path: { attribute: "emails" },
      filter: {
        op: "and",
        filters: [
          { op: "eq", path: { attribute: "type" }, value: "work" },
          { op: "eq", path: { attribute: "value" }, value: "x@example.com" },
        ],
      },
    });
    expect(parseFilter('emails[type eq "work" and primary eq true].value pr')).toEqual({
      op: "valuePath",
      path: { attribute: "emails" },
      filter: {
        op: "and",
        filters: [
          { op: "eq", path: { attribute: "type" }, value: "work" },
          { op: "eq", path: { attribute: "primary" }, value: true },
          { op: "pr", path: { attribute: "value" } },
        ],
      },
    });
    expect(parseFilter('addresses[type eq "work" or type eq "home"].locality eq "Hollywood"')).toMatchObject({
      filter: { op: "and", filters: [{ op: "or" }, { op: "eq", path: { attribute: "locality" } }] },
    });
  });

  test("whitespace before [ is tolerated", () => {
    expect(parseFilter('emails [type eq "work"]')).toEqual(parseFilter('emails[type eq "work"]'));
  });

  test("value paths side by side are fine; only nesting is an error", () => {
    expect(parseFilter('emails[type eq "work"] and not (ims[type eq "xmpp"])')).toMatchObject({
      op: "and",
      filters: [{ op: "valuePath" }, { op: "not", filter: { op: "valuePath" } }],
    });
  });

  // RFC 7644 §3.4.2.2: valuePath = attrPath "[" valFilter "]", and valFilter has no valuePath; the
  // paths inside "[...]" are sub-attributes, which are never complex (RFC 7643 §2.3.8).
  test.each([
    ['emails[type[value eq "x"]]', 12, "type", "emails"],
    ['emails[type eq "work" and display[value pr]]', 34, "display", "emails"],
    ["emails[not (type[value pr])]", 17, "type", "emails"],
    ["emails[((type [value pr]))]", 15, "type", "emails"],
    ["emails[not[value pr]]", 11, "not", "emails"],
    ['x[emails[type eq "w"].value eq "y"]', 9, "emails", "x"],
    ['a[b[c[d eq "x"]]]', 4, "b", "a"],
    [`userName pr and urn:acme:2.0:Dev:ports[ip[v pr]]`, 42, "ip", "urn:acme:2.0:Dev:ports"],
  ])("nested value path %j is 400 invalidFilter at column %i", (text, column, inner, outer) => {
    const error = failure(() => parseFilter(text));
    expect(error).toMatchObject({ status: 400, scimType: "invalidFilter", column });
    expect(error.detail).toBe(
      `unexpected "[" at column ${column}: value paths do not nest ("${inner}[...]" inside "${outer}[...]"); the filter in "[...]" compares sub-attributes, which are never complex (RFC 7644 §3.4.2.2 valFilter, RFC 7643 §2.3.8)`,
    );
  });
});
