import { describe, expect, it } from "vitest";
import { DETAIL_LIMIT, describeExchange, type Exchange } from "./http.js";

function exchange(sent: string | undefined, text: string): Exchange {
  return { method: "POST", path: "/Users", sent, status: 400, headers: new Headers(), text, json: undefined };
}

describe("describeExchange", () => {
  it("quotes the request and the response", () => {
    expect(describeExchange(exchange('{"userName":"a"}', '{"status":"400"}'))).toBe(
      'POST /Users {"userName":"a"} → 400 {"status":"400"}',
    );
  });

  it("cuts each body at the limit and says how long it was", () => {
    const long = "x".repeat(DETAIL_LIMIT + 100);
    const text = describeExchange(exchange(long, long));
    const cut = `${"x".repeat(DETAIL_LIMIT)}… (${DETAIL_LIMIT + 100} chars)`;
    expect(text).toBe(`POST /Users ${cut} → 400 ${cut}`);
  });

  it("names an empty response body", () => {
    expect(describeExchange(exchange(undefined, ""))).toBe("POST /Users → 400 (empty body)");
  });
});
