// The console mirrors the read API's JSON shapes (types.ts) instead of importing @scimkit/server, so the
// browser bundle stays free of server code. These type tests keep the mirror honest: when the server's
// recording types change, this file stops compiling until the console follows.
import type * as server from "@scimkit/server";
import { describe, expectTypeOf, it } from "vitest";
import type * as wire from "./types.js";

describe("the console's read-API types mirror @scimkit/server's recording types", () => {
  it("summaries, changes, pages and history entries are the same shapes", () => {
    expectTypeOf<wire.IdpName>().toEqualTypeOf<server.IdpName>();
    expectTypeOf<wire.StatusClass>().toEqualTypeOf<server.StatusClass>();
    expectTypeOf<wire.RequestSummary>().toEqualTypeOf<server.RequestSummary>();
    expectTypeOf<wire.ChangeRecord>().toEqualTypeOf<server.ChangeRecord>();
    expectTypeOf<wire.RequestPage>().toEqualTypeOf<server.RequestPage>();
    expectTypeOf<wire.RequestStats>().toEqualTypeOf<server.RequestStats>();
    expectTypeOf<wire.ResourceChange>().toEqualTypeOf<server.ResourceChange>();
  });

  it("a request's detail is the stored record with its bodies parsed back to JSON", () => {
    type Detail = Omit<server.RequestRecord, "requestBody" | "responseBody"> & {
      readonly requestBody?: unknown;
      readonly responseBody?: unknown;
    };
    // Both ways (an intersection and an interface are never "equal" to expect-type, though the same shape).
    expectTypeOf<wire.RequestDetail>().toExtend<Detail>();
    expectTypeOf<Detail>().toExtend<wire.RequestDetail>();
    expectTypeOf<keyof wire.RequestDetail>().toEqualTypeOf<keyof server.RequestRecord>();
  });

  it("every Activity filter is a filter the server's query takes", () => {
    expectTypeOf<wire.RequestFilters>().toExtend<Omit<server.RequestQuery, "limit" | "before" | "after">>();
    expectTypeOf<keyof wire.RequestFilters>().toEqualTypeOf<
      Exclude<keyof server.RequestQuery, "limit" | "before" | "after">
    >();
  });
});
