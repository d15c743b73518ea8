/// <reference types="node" />
import type { Break } from "../../__fixtures__/servers.js";

/**
 * Requests with `method` (while `active()` holds) never get an answer until the client gives up; `onHang`
 * is told each time one arrives (how a test knows the run is in the middle of a check, or of its clean-up).
 */
export function hangOn(method: string, onHang: () => void, active: () => boolean = () => true): Break {
  return (inner) => async (request) => {
    if (request.method !== method || !active()) return inner(request);
    onHang();
    await new Promise((resolve) => request.signal.addEventListener("abort", resolve, { once: true }));
    return new Response(null, { status: 503 });
  };
}

/** Combines breaks: the first given is the outermost. */
export function both(...breaks: readonly Break[]): Break {
  return (inner) => breaks.reduceRight((handler, wrap) => wrap(handler), inner);
}

/** Every request is answered 401, whatever its token (a server given the wrong token). */
export const refusesEveryToken: Break = () => async () =>
  Response.json(
    { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401", detail: "invalid token" },
    { status: 401, headers: { "content-type": "application/scim+json" } },
  );
