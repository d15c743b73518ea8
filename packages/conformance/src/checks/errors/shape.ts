import { type Exchange, field, schemasOf } from "../../http.js";
import { URN } from "../../outcome.js";

/** Checks an error response against RFC 7644 §3.12: Error URN, `status` as a string equal to the HTTP status. */
export function errorShape(exchange: Exchange): string | undefined {
  if (!schemasOf(exchange.json).includes(URN.error)) return `expected schemas to contain ${URN.error}`;
  if (field(exchange.json, "status") !== String(exchange.status)) {
    return `expected "status": "${exchange.status}" (a string) in the body`;
  }
  return undefined;
}

/** Whether the response is served as application/scim+json (RFC 7644 §3.1, §8.1). */
export function isScimJson(exchange: Exchange): boolean {
  const type = exchange.headers.get("content-type") ?? "";
  return type.split(";")[0]?.trim().toLowerCase() === "application/scim+json";
}

/** A 400 with one of `scimTypes` in an RFC 7644 §3.12 body, or what is wrong with the answer. */
export function badRequest(exchange: Exchange, scimTypes: readonly string[]): string | undefined {
  if (exchange.status !== 400) return "expected 400";
  const scimType = field(exchange.json, "scimType");
  if (typeof scimType !== "string" || !scimTypes.includes(scimType))
    return `expected scimType ${scimTypes.map((t) => `"${t}"`).join(" or ")}`;
  return errorShape(exchange);
}
