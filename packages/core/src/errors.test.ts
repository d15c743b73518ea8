import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  isScimError,
  SCIM_TYPES,
  ScimError,
  type ScimErrorBody,
  type ScimErrorOptions,
  type ScimType,
} from "./errors.js";
import { ERROR_MESSAGE_URN, LIST_RESPONSE_URN } from "./urns.js";

const BRAND = Symbol.for("@scimkit/core.ScimError");

describe("ScimError", () => {
  it("carries status, scimType, detail, message, name and cause", () => {
    const cause = new Error("connection reset");
    const err = new ScimError({
      status: 409,
      scimType: "uniqueness",
      detail: 'userName "bjensen" is taken',
      cause,
    });

    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(ScimError);
    expect(err.name).toBe("ScimError");
    expect(err.status).toBe(409);
    expect(err.scimType).toBe("uniqueness");
    expect(err.detail).toBe('userName "bjensen" is taken');
    expect(err.message).toBe('userName "bjensen" is taken');
    expect(err.cause).toBe(cause);
  });

  it("leaves scimType and cause undefined when not given", () => {
    const err = new ScimError({ status: 404, detail: "User 42 not found" });

    expect(err.scimType).toBeUndefined();
    expect(err.cause).toBeUndefined();
    expect(Object.hasOwn(err, "cause")).toBe(false);
  });

  it("lists every RFC 7644 §3.12 and RFC 9865 §2.1 keyword in SCIM_TYPES, in RFC order", () => {
    expect(SCIM_TYPES).toEqual([
      "invalidFilter",
      "tooMany",
      "uniqueness",
      "mutability",
      "invalidSyntax",
      "invalidPath",
      "noTarget",
      "invalidValue",
      "invalidVers",
      "sensitive",
      "invalidCursor",
      "expiredCursor",
      "invalidCount",
    ]);
    expect(Object.isFrozen(SCIM_TYPES)).toBe(true);
  });

  describe("status validation", () => {
    const valid: [name: string, { given: number }][] = [
      ["307 Temporary Redirect (lowest in RFC 7644 Table 8)", { given: 307 }],
      ["300, the lowest accepted", { given: 300 }],
      ["400 Bad Request", { given: 400 }],
      ["599, the highest accepted", { given: 599 }],
    ];
    it.each(valid)("accepts %s", (_name, { given }) => {
      expect(new ScimError({ status: given, detail: "x" }).status).toBe(given);
    });

    const invalid: [name: string, { given: number }][] = [
      ["0", { given: 0 }],
      ["200 OK (a success is not an error)", { given: 200 }],
      ["299", { given: 299 }],
      ["600", { given: 600 }],
      ["1000", { given: 1000 }],
      ["a negative status", { given: -400 }],
      ["a fraction", { given: 404.5 }],
      ["NaN", { given: Number.NaN }],
      ["Infinity", { given: Number.POSITIVE_INFINITY }],
    ];
    it.each(invalid)("throws RangeError for %s", (_name, { given }) => {
      expect(() => new ScimError({ status: given, detail: "x" })).toThrow(RangeError);
      expect(() => new ScimError({ status: given, detail: "x" })).toThrow(String(given));
    });
  });

  describe("toJSON", () => {
    const cases: [name: string, { given: ScimErrorOptions; want: ScimErrorBody }][] = [
      [
        "status, scimType and detail",
        {
          given: { status: 400, scimType: "mutability", detail: "Attribute 'id' is readOnly" },
          want: {
            schemas: [ERROR_MESSAGE_URN],
            status: "400",
            scimType: "mutability",
            detail: "Attribute 'id' is readOnly",
          },
        },
      ],
      [
        "no scimType key when absent (RFC 7644 §3.12 404 example)",
        {
          given: { status: 404, detail: "Resource 2819c223-7f76-453a-919d-413861904646 not found" },
          want: {
            schemas: [ERROR_MESSAGE_URN],
            status: "404",
            detail: "Resource 2819c223-7f76-453a-919d-413861904646 not found",
          },
        },
      ],
      [
        "no scimType key when given explicitly as undefined",
        {
          given: { status: 412, scimType: undefined, detail: "stale" },
          want: { schemas: [ERROR_MESSAGE_URN], status: "412", detail: "stale" },
        },
      ],
      [
        "no detail key when detail is empty",
        { given: { status: 500, detail: "" }, want: { schemas: [ERROR_MESSAGE_URN], status: "500" } },
      ],
      [
        "an RFC 9865 keyword",
        {
          given: { status: 400, scimType: "expiredCursor", detail: "cursor expired" },
          want: {
            schemas: [ERROR_MESSAGE_URN],
            status: "400",
            scimType: "expiredCursor",
            detail: "cursor expired",
          },
        },
      ],
      [
        "no cause, even when one is given",
        {
          given: { status: 500, detail: "internal error", cause: new Error("password=hunter2") },
          want: { schemas: [ERROR_MESSAGE_URN], status: "500", detail: "internal error" },
        },
      ],
    ];
    it.each(cases)("%s", (_name, { given, want }) => {
      const body = new ScimError(given).toJSON();
      expect(body).toStrictEqual(want);
      // Exactly these keys: no stack, cause, name or message.
      expect(Object.keys(body).sort()).toEqual(Object.keys(want).sort());
      expect(typeof body.status).toBe("string");
    });

    it("is what JSON.stringify emits", () => {
      const err = ScimError.invalidFilter('unknown operator "eqq" at column 10');
      expect(JSON.parse(JSON.stringify(err))).toEqual(err.toJSON());
    });
  });

  describe("JSON.stringify never leaks the stack or the cause", () => {
    it("for an error with a cause", () => {
      const cause = new Error("db password is hunter2");
      const err = new ScimError({ status: 500, detail: "internal error", cause });
      const text = JSON.stringify(err);

      expect(err.stack).toBeTypeOf("string");
      expect(text).not.toContain("hunter2");
      expect(text).not.toContain("stack");
      expect(text).not.toContain("cause");
      expect(text).not.toContain(err.stack?.split("\n")[1]?.trim() ?? "unreachable");
      expect(text).not.toContain(".test.ts");
    });

    it("for any detail and status (property)", () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 300, max: 599 }),
          fc.option(fc.constantFrom(...SCIM_TYPES), { nil: undefined }),
          fc.string(),
          (status, scimType, detail) => {
            const cause = new Error("SECRET-CAUSE-MESSAGE");
            const err = new ScimError({ status, scimType, detail, cause });
            const text = JSON.stringify(err);
            const parsed = JSON.parse(text) as Record<string, unknown>;
            expect(text).not.toContain("SECRET-CAUSE-MESSAGE");
            expect(
              Object.keys(parsed).every((k) => ["schemas", "status", "scimType", "detail"].includes(k)),
            ).toBe(true);
            expect(parsed.status).toBe(String(status));
          },
        ),
      );
    });
  });

  describe("toResponse", () => {
    it("answers with the status, application/scim+json and the toJSON body", async () => {
      const err = ScimError.invalidValue('"active" must be a boolean');
      const response = err.toResponse();

      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^application\/scim\+json(;|$)/);
      expect(await response.json()).toEqual({
        schemas: [ERROR_MESSAGE_URN],
        status: "400",
        scimType: "invalidValue",
        detail: '"active" must be a boolean',
      });
    });

    it("adds extra headers", () => {
      const response = new ScimError({ status: 503, detail: "busy" }).toResponse({
        headers: { "retry-after": "30" },
      });

      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("30");
      expect(response.headers.get("content-type")).toMatch(/^application\/scim\+json/);
    });

    it("does not put the cause or the stack in the body", async () => {
      const response = new ScimError({
        status: 500,
        detail: "internal",
        cause: new Error("hunter2"),
      }).toResponse();
      const text = await response.text();

      expect(text).not.toContain("hunter2");
      expect(text).not.toContain("stack");
    });
  });

  describe("static helpers", () => {
    const cases: [
      name: string,
      { given: (detail: string) => ScimError; want: { status: number; scimType?: ScimType } },
    ][] = [
      ["invalidFilter", { given: ScimError.invalidFilter, want: { status: 400, scimType: "invalidFilter" } }],
      ["invalidPath", { given: ScimError.invalidPath, want: { status: 400, scimType: "invalidPath" } }],
      ["invalidValue", { given: ScimError.invalidValue, want: { status: 400, scimType: "invalidValue" } }],
      ["invalidSyntax", { given: ScimError.invalidSyntax, want: { status: 400, scimType: "invalidSyntax" } }],
      ["mutability", { given: ScimError.mutability, want: { status: 400, scimType: "mutability" } }],
      ["noTarget", { given: ScimError.noTarget, want: { status: 400, scimType: "noTarget" } }],
      ["uniqueness", { given: ScimError.uniqueness, want: { status: 409, scimType: "uniqueness" } }],
      ["notFound", { given: ScimError.notFound, want: { status: 404 } }],
    ];
    it.each(cases)("%s", (_name, { given, want }) => {
      const err = given("the detail");
      expect(err).toBeInstanceOf(ScimError);
      expect(err.status).toBe(want.status);
      expect(err.scimType).toBe(want.scimType);
      expect(err.detail).toBe("the detail");
      expect(err.toJSON().scimType).toBe(want.scimType);
    });

    it("keep the cause they are given", () => {
      const cause = new SyntaxError("Unexpected token");
      expect(ScimError.invalidSyntax("the body is not valid JSON", cause).cause).toBe(cause);
      expect(ScimError.uniqueness("taken", cause).cause).toBe(cause);
    });
  });

  describe("fromBody", () => {
    const roundTrips: [name: string, { given: ScimErrorOptions }][] = [
      ["400 invalidFilter", { given: { status: 400, scimType: "invalidFilter", detail: "bad filter" } }],
      ["404 without scimType", { given: { status: 404, detail: "User 42 not found" } }],
      ["409 uniqueness", { given: { status: 409, scimType: "uniqueness", detail: "taken" } }],
      [
        "400 invalidCursor (RFC 9865)",
        { given: { status: 400, scimType: "invalidCursor", detail: "bad cursor" } },
      ],
      ["307 redirect", { given: { status: 307, detail: "moved" } }],
    ];
    it.each(roundTrips)("round-trips %s through toJSON", (_name, { given }) => {
      const original = new ScimError(given);
      const back = ScimError.fromBody(JSON.parse(JSON.stringify(original)));

      expect(back).toBeInstanceOf(ScimError);
      expect(back?.toJSON()).toStrictEqual(original.toJSON());
      expect(back?.status).toBe(original.status);
      expect(back?.scimType).toBe(original.scimType);
      expect(back?.detail).toBe(original.detail);
    });

    const reads: [
      name: string,
      {
        given: [body: unknown, httpStatus?: number];
        want: { status: number; scimType?: ScimType; detail: string };
      },
    ][] = [
      [
        "the HTTP status wins over the body's status",
        {
          given: [{ schemas: [ERROR_MESSAGE_URN], status: "400", detail: "d" }, 409],
          want: { status: 409, detail: "d" },
        },
      ],
      [
        "a numeric status field",
        {
          given: [{ schemas: [ERROR_MESSAGE_URN], status: 404, detail: "d" }],
          want: { status: 404, detail: "d" },
        },
      ],
      [
        "a malformed status field and no HTTP status falls back to 500",
        {
          given: [{ schemas: [ERROR_MESSAGE_URN], status: "oops", detail: "d" }],
          want: { status: 500, detail: "d" },
        },
      ],
      [
        "a missing status field uses the HTTP status",
        { given: [{ schemas: [ERROR_MESSAGE_URN], detail: "d" }, 403], want: { status: 403, detail: "d" } },
      ],
      [
        "a 2xx HTTP status is ignored in favour of the body",
        {
          given: [{ schemas: [ERROR_MESSAGE_URN], status: "400", detail: "d" }, 200],
          want: { status: 400, detail: "d" },
        },
      ],
      [
        "a missing detail gets a generic one",
        {
          given: [{ schemas: [ERROR_MESSAGE_URN], status: "404" }],
          want: { status: 404, detail: "SCIM error 404" },
        },
      ],
      [
        "the Error URN in another case (URNs are case-insensitive)",
        {
          given: [
            { schemas: [ERROR_MESSAGE_URN.toUpperCase()], status: "400", scimType: "tooMany", detail: "d" },
          ],
          want: { status: 400, scimType: "tooMany", detail: "d" },
        },
      ],
      [
        "the Error URN among other URNs",
        {
          given: [
            {
              schemas: ["urn:example:extra", ERROR_MESSAGE_URN],
              status: "400",
              scimType: "sensitive",
              detail: "d",
            },
          ],
          want: { status: 400, scimType: "sensitive", detail: "d" },
        },
      ],
      [
        "an unknown scimType is dropped",
        {
          given: [{ schemas: [ERROR_MESSAGE_URN], status: "400", scimType: "invalidFoo", detail: "d" }],
          want: { status: 400, detail: "d" },
        },
      ],
      [
        "a scimType in the wrong case is dropped",
        {
          given: [{ schemas: [ERROR_MESSAGE_URN], status: "400", scimType: "INVALIDFILTER", detail: "d" }],
          want: { status: 400, detail: "d" },
        },
      ],
      [
        "a non-string scimType is dropped",
        {
          given: [{ schemas: [ERROR_MESSAGE_URN], status: "400", scimType: 7, detail: "d" }],
          want: { status: 400, detail: "d" },
        },
      ],
    ];
    it.each(reads)("reads %s", (_name, { given, want }) => {
      const err = ScimError.fromBody(...given);
      expect(err).toBeInstanceOf(ScimError);
      expect({ status: err?.status, scimType: err?.scimType, detail: err?.detail }).toEqual({
        scimType: undefined,
        ...want,
      });
    });

    const rejects: [name: string, { given: unknown }][] = [
      ["null", { given: null }],
      ["undefined", { given: undefined }],
      ["a string", { given: "Not Found" }],
      ["a number", { given: 404 }],
      ["an empty array", { given: [] }],
      ["an array holding an error body", { given: [{ schemas: [ERROR_MESSAGE_URN], status: "404" }] }],
      ["an object without schemas", { given: { status: "404", detail: "not found" } }],
      ["schemas as a string, not an array", { given: { schemas: ERROR_MESSAGE_URN, status: "404" } }],
      ["empty schemas", { given: { schemas: [], status: "404" } }],
      ["a ListResponse", { given: { schemas: [LIST_RESPONSE_URN], totalResults: 0, Resources: [] } }],
      ["a non-string URN", { given: { schemas: [42], status: "404" } }],
    ];
    it.each(rejects)("returns undefined for %s", (_name, { given }) => {
      expect(ScimError.fromBody(given)).toBeUndefined();
      expect(ScimError.fromBody(given, 400)).toBeUndefined();
    });
  });
});

describe("isScimError", () => {
  class ForeignScimError extends Error {
    readonly status = 400;
    readonly detail = "from another copy of @scimkit/core";
    constructor() {
      super("from another copy of @scimkit/core");
      Object.defineProperty(this, BRAND, { value: true });
    }
  }

  const cases: [name: string, { given: unknown; want: boolean }][] = [
    ["a ScimError", { given: new ScimError({ status: 400, detail: "x" }), want: true }],
    ["a ScimError from a helper", { given: ScimError.notFound("x"), want: true }],
    [
      "a ScimError read by fromBody",
      { given: ScimError.fromBody({ schemas: [ERROR_MESSAGE_URN], status: "400" }), want: true },
    ],
    [
      "an instance of a subclass",
      { given: new (class extends ScimError {})({ status: 400, detail: "x" }), want: true },
    ],
    ["an error branded by another copy", { given: new ForeignScimError(), want: true }],
    ["a plain branded object", { given: { [BRAND]: true, status: 404, detail: "not found" }, want: true }],
    [
      "a branded object whose status is a string",
      { given: { [BRAND]: true, status: "404", detail: "not found" }, want: false },
    ],
    ["a branded object without detail", { given: { [BRAND]: true, status: 404 }, want: false }],
    [
      "an object whose brand is not true",
      { given: { [BRAND]: "yes", status: 404, detail: "x" }, want: false },
    ],
    [
      "a local (unregistered) symbol brand",
      { given: { [Symbol("@scimkit/core.ScimError")]: true, status: 404, detail: "x" }, want: false },
    ],
    [
      "a plain Error with the same fields",
      {
        given: Object.assign(new Error("x"), {
          name: "ScimError",
          status: 400,
          scimType: "invalidFilter",
          detail: "x",
        }),
        want: false,
      },
    ],
    [
      "an error-body-like object",
      { given: { name: "ScimError", status: 400, detail: "x", scimType: "invalidValue" }, want: false },
    ],
    [
      "a SCIM Error resource",
      { given: { schemas: [ERROR_MESSAGE_URN], status: "400", detail: "x" }, want: false },
    ],
    ["null", { given: null, want: false }],
    ["undefined", { given: undefined, want: false }],
    ["a string", { given: "ScimError", want: false }],
    ["a number", { given: 400, want: false }],
  ];
  it.each(cases)("%s", (_name, { given, want }) => {
    expect(isScimError(given)).toBe(want);
  });
});
