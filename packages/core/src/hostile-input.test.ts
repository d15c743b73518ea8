import { describe, expect, it } from "vitest";
import {
  ERROR_MESSAGE_URN,
  lineColumn,
  locateJsonError,
  parseSchemaDocument,
  SchemaLoadError,
  ScimError,
} from "./index.js";

describe("inputs found by review", () => {
  it("accepts numbers of any length, as JSON.parse does", () => {
    expect(locateJsonError("1".repeat(500))).toBeUndefined();
    expect(locateJsonError(`[${"9".repeat(5000)}.5e10]`)).toBeUndefined();
  });

  it("counts CR-only and CRLF line endings", () => {
    expect(lineColumn("a\rb\r\nc", 5)).toMatchObject({ line: 3, column: 1 });
  });

  it("fromBody ignores an HTTP status that is not an error status", () => {
    const error = ScimError.fromBody(
      { schemas: [ERROR_MESSAGE_URN], status: "409", scimType: "uniqueness" },
      700,
    );
    expect(error?.status).toBe(409);
    expect(ScimError.fromBody({ schemas: [ERROR_MESSAGE_URN], status: "400" }, 404.5)?.status).toBe(400);
  });

  it("toResponse keeps one content type whatever the case of the caller's header names", () => {
    const response = new ScimError({ status: 400, detail: "x" }).toResponse({
      headers: { "Content-Type": "application/json" },
    });
    expect(response.headers.get("content-type")).toBe("application/json");
    const plain = new ScimError({ status: 400, detail: "x" }).toResponse({ headers: { "Retry-After": "5" } });
    expect(plain.headers.get("content-type")).toBe("application/scim+json; charset=utf-8");
    expect(plain.headers.get("retry-after")).toBe("5");
  });

  it("leaves scimType absent (not undefined) when there is none", () => {
    expect("scimType" in new ScimError({ status: 404, detail: "x" })).toBe(false);
    expect(new ScimError({ status: 400, scimType: "invalidPath", detail: "x" }).scimType).toBe("invalidPath");
  });

  it("rejects deeply nested arrays with a SchemaLoadError, not a stack overflow", () => {
    const text = "[".repeat(5000) + "]".repeat(5000);
    expect(() => parseSchemaDocument(text, "deep.json")).toThrow(SchemaLoadError);
    expect(() => parseSchemaDocument(text, "deep.json")).toThrow(
      /deep\.json: \/0\/0\/0\/0: arrays and ListResponses nest more than 4 levels/,
    );
  });
});
