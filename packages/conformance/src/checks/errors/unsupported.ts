import type { Exchange } from "../../http.js";
import { fail, pass } from "../../outcome.js";
import type { Capability, Check, CheckContext, CheckOutcome } from "../../types.js";
import { endpointOf, USER } from "../bodies.js";
import { advertised, createUser, isSuccess, patchOp } from "../support.js";
import { errorShape } from "./shape.js";

/**
 * What the server did with a feature against what its ServiceProviderConfig says (RFC 7643 §5): advertised
 * unsupported → 501 in an RFC 7644 §3.12 body ("Service provider does not support the request operation,
 * e.g., PATCH"); advertised supported → the request works.
 */
async function observed(
  ctx: CheckContext,
  capability: Capability,
  attempt: () => Promise<Exchange | CheckOutcome>,
): Promise<CheckOutcome> {
  const supported = await advertised(ctx, capability);
  const exchange = await attempt();
  if (!("method" in exchange)) return exchange;
  if (supported === false) {
    if (exchange.status !== 501)
      return fail(`expected 501 Not Implemented (${capability}.supported is false)`, exchange);
    const shape = errorShape(exchange);
    return shape ? fail(shape, exchange) : pass();
  }
  return isSuccess(exchange)
    ? pass()
    : fail(`expected the request to work (${capability}.supported is not false)`, exchange);
}

const base = { profile: "rfc", requirement: "RFC 7644 §3.12; RFC 7643 §5", level: "SHOULD" } as const;

/** Features advertised unsupported answer 501; advertised supported, they work. */
export const unsupportedChecks: readonly Check[] = [
  {
    ...base,
    id: "errors.unsupported-patch",
    title: "PATCH answers 501 when patch.supported is false, and works when it is true",
    writes: true,
    run: (ctx) =>
      observed(ctx, "patch", async () => {
        const made = await createUser(ctx, "unsupported-patch");
        if ("status" in made) return made;
        return ctx.send("PATCH", made.path, {
          body: patchOp({ op: "replace", path: "displayName", value: "Conformance Patched" }),
        });
      }),
  },
  {
    ...base,
    id: "errors.unsupported-bulk",
    title: "POST /Bulk answers 501 when bulk.supported is false, and works when it is true",
    // A server that fails this check could act on the request: a read-only run must not send it.
    writes: true,
    run: (ctx) =>
      observed(ctx, "bulk", async () => {
        const users = await endpointOf(ctx, USER);
        if (typeof users !== "string") return users;
        // A delete of an id that does not exist: the bulk request works (200) and changes nothing.
        return ctx.send("POST", "/Bulk", {
          body: {
            schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
            Operations: [{ method: "DELETE", path: `${users}/${ctx.prefix}no-such-user` }],
          },
        });
      }),
  },
  {
    ...base,
    id: "errors.unsupported-sort",
    title: "sortBy answers 501 when sort.supported is false, and works when it is true",
    requirement: "RFC 7644 §3.12; RFC 7644 §3.4.2.3; RFC 7643 §5",
    writes: false,
    run: (ctx) =>
      observed(ctx, "sort", async () => {
        const users = await endpointOf(ctx, USER);
        if (typeof users !== "string") return users;
        return ctx.send("GET", `${users}?sortBy=userName&count=1`);
      }),
  },
];
