import { describe, expectTypeOf, it } from "vitest";
import {
  type AttributeDefinition,
  type AttributeType,
  coreBundle,
  type ERROR_MESSAGE_URN,
  isScimError,
  type ResolvedAttribute,
  SchemaRegistry,
  type ScimBundle,
  ScimError,
  type ScimErrorBody,
  type ScimErrorOptions,
  type ScimType,
} from "./index.js";

describe("ScimType", () => {
  it("is exactly the RFC 7644 §3.12 Table 9 keywords plus the RFC 9865 ones", () => {
    expectTypeOf<ScimType>().toEqualTypeOf<
      | "invalidFilter"
      | "tooMany"
      | "uniqueness"
      | "mutability"
      | "invalidSyntax"
      | "invalidPath"
      | "noTarget"
      | "invalidValue"
      | "invalidVers"
      | "sensitive"
      | "invalidCursor"
      | "expiredCursor"
      | "invalidCount"
    >();
  });

  it("rejects other literals", () => {
    // @ts-expect-error "invalidFilters" is not a scimType keyword
    new ScimError({ status: 400, scimType: "invalidFilters", detail: "x" });
    // @ts-expect-error keywords are case-sensitive in TypeScript even though SCIM attribute names are not
    new ScimError({ status: 400, scimType: "InvalidFilter", detail: "x" });
    // @ts-expect-error a plain string is not a ScimType
    new ScimError({ status: 400, scimType: "invalidFilter" as string, detail: "x" });
  });
});

describe("ScimError", () => {
  it("toJSON returns the RFC 7644 §3.12 body of the public contract", () => {
    expectTypeOf<ReturnType<ScimError["toJSON"]>>().toEqualTypeOf<ScimErrorBody>();
    expectTypeOf<ReturnType<ScimError["toJSON"]>>().toEqualTypeOf<{
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"];
      status: string;
      scimType?: string;
      detail?: string;
    }>();
    expectTypeOf<typeof ERROR_MESSAGE_URN>().toEqualTypeOf<"urn:ietf:params:scim:api:messages:2.0:Error">();
  });

  it("exposes readonly status, scimType and detail", () => {
    const err = new ScimError({ status: 404, detail: "x" });
    expectTypeOf(err.status).toEqualTypeOf<number>();
    expectTypeOf(err.scimType).toEqualTypeOf<ScimType | undefined>();
    expectTypeOf(err.detail).toEqualTypeOf<string>();
    expectTypeOf(err.name).toEqualTypeOf<"ScimError">();
    expectTypeOf(err).toExtend<Error>();
    // @ts-expect-error status is readonly
    err.status = 500;
  });

  it("requires status and detail", () => {
    expectTypeOf<ScimErrorOptions>().toHaveProperty("status").toEqualTypeOf<number>();
    // @ts-expect-error detail is required
    new ScimError({ status: 400 });
    // @ts-expect-error status is a number, not the body's string
    new ScimError({ status: "400", detail: "x" });
  });

  it("fromBody may find no error", () => {
    expectTypeOf(ScimError.fromBody).returns.toEqualTypeOf<ScimError | undefined>();
    expectTypeOf(ScimError.invalidFilter).returns.toEqualTypeOf<ScimError>();
  });

  it("isScimError narrows unknown", () => {
    const value: unknown = null;
    if (isScimError(value)) expectTypeOf(value).toEqualTypeOf<ScimError>();
  });
});

describe("schema definitions and the registry", () => {
  it("types the bundle and resolutions", () => {
    expectTypeOf(coreBundle).returns.toEqualTypeOf<ScimBundle>();
    expectTypeOf<AttributeDefinition["type"]>().toEqualTypeOf<AttributeType>();
    expectTypeOf<SchemaRegistry["resolve"]>().returns.toEqualTypeOf<ResolvedAttribute | undefined>();
    expectTypeOf<ResolvedAttribute["names"]>().toEqualTypeOf<readonly [string] | readonly [string, string]>();
  });

  it("keeps definitions readonly", () => {
    const registry = new SchemaRegistry(coreBundle());
    const attribute = registry.resolve("User", "userName")?.attribute;
    if (attribute) {
      // @ts-expect-error definitions are readonly
      attribute.required = false;
    }
  });
});
