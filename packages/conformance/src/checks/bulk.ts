import { type Exchange, field, resourcesOf, schemasOf } from "../http.js";
import { fail, pass, skip, URN } from "../outcome.js";
import type { Check, CheckContext, CheckOutcome } from "../types.js";
import { endpointOf, GROUP, USER } from "./bodies.js";
import { errorShape } from "./errors/shape.js";
import { advertised, configFailure, limit } from "./support.js";

const BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const BULK_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

type Result = Record<string, unknown>;

/** POSTs a BulkRequest (RFC 7644 §3.7) and tracks every resource its results say were created. */
async function sendBulk(
  ctx: CheckContext,
  operations: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
): Promise<{ exchange: Exchange; results: Result[] }> {
  const exchange = await ctx.send("POST", "/Bulk", {
    body: { schemas: [BULK_REQUEST], ...extra, Operations: operations },
  });
  const raw = field(exchange.json, "Operations");
  const results = Array.isArray(raw) ? (raw as Result[]) : [];
  for (const result of results) {
    const path = createdPath(result);
    if (path !== undefined) ctx.track(path);
  }
  return { exchange, results };
}

/** The status of a result as a number; RFC 7644 §3.7.3 shows strings ("201"), some servers send numbers. */
function statusOf(result: Result | undefined): number | undefined {
  const status = field(result, "status");
  const code = typeof status === "string" ? Number(status) : status;
  return typeof code === "number" && Number.isInteger(code) ? code : undefined;
}

/** `/Endpoint/id` of a successful POST result's location, relative to the base URL (for clean-up and reads). */
function createdPath(result: Result | undefined): string | undefined {
  const location = field(result, "location");
  const status = statusOf(result);
  if (typeof location !== "string" || status === undefined || status < 200 || status > 299) return undefined;
  if (String(field(result, "method")).toUpperCase() !== "POST") return undefined;
  let pathname: string;
  try {
    pathname = new URL(location, "http://relative.invalid").pathname;
  } catch {
    return undefined;
  }
  const segments = pathname.split("/").filter((s) => s !== "");
  return segments.length >= 2 ? `/${segments.slice(-2).join("/")}` : undefined;
}

function byBulkId(results: Result[], bulkId: string): Result | undefined {
  return results.find((r) => field(r, "bulkId") === bulkId);
}

/** A 200 BulkResponse, or the failure saying what came back instead. */
function bulkResponse(exchange: Exchange): CheckOutcome | undefined {
  if (exchange.status !== 200) return fail("expected 200 for the bulk request", exchange);
  if (!schemasOf(exchange.json).includes(BULK_RESPONSE))
    return fail(`expected schemas to contain ${BULK_RESPONSE}`, exchange);
  if (!Array.isArray(field(exchange.json, "Operations")))
    return fail("expected an Operations array", exchange);
  return undefined;
}

/** Bulk: RFC 7644 §3.7. */
export const bulkChecks: readonly Check[] = [
  {
    id: "bulk.operations",
    title: "POST /Bulk runs several operations and answers 200 with each one's status, location and bulkId",
    requirement: "RFC 7644 §3.7; RFC 7644 §3.7.3",
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["bulk"],
    async run(ctx) {
      const users = await endpointOf(ctx, USER);
      if (typeof users !== "string") return users;
      const groups = await endpointOf(ctx, GROUP);
      if (typeof groups !== "string") return groups;
      const existing = await ctx.create(users, USER.body(ctx, "bulk-put"));
      if (existing.id === undefined) return fail("could not create a User to test with", existing.exchange);
      const { exchange, results } = await sendBulk(ctx, [
        { method: "POST", path: users, bulkId: "user", data: USER.body(ctx, "bulk-user") },
        { method: "POST", path: groups, bulkId: "group", data: GROUP.body(ctx, "bulk-group") },
        {
          method: "PUT",
          path: `${users}/${encodeURIComponent(existing.id)}`,
          data: USER.changed(ctx, "bulk-put").body,
        },
      ]);
      const problem = bulkResponse(exchange);
      if (problem) return problem;
      if (results.length !== 3) return fail("expected a result for each of the 3 operations", exchange);
      for (const [bulkId, want] of [
        ["user", 201],
        ["group", 201],
      ] as const) {
        const result = byBulkId(results, bulkId);
        if (!result) return fail(`expected the result of bulkId "${bulkId}" to carry that bulkId`, exchange);
        if (statusOf(result) !== want)
          return fail(`expected status "${want}" for bulkId "${bulkId}"`, exchange);
        if (createdPath(result) === undefined)
          return fail(`expected a location for bulkId "${bulkId}"`, exchange);
      }
      const put = results.find((r) => String(field(r, "method")).toUpperCase() === "PUT");
      if (statusOf(put) !== 200) return fail('expected status "200" for the PUT', exchange);
      const location = field(put, "location");
      if (typeof location !== "string" || !location.includes(existing.id))
        return fail(`expected the PUT's location to name ${existing.id}`, exchange);
      const user = await ctx.send("GET", createdPath(byBulkId(results, "user")) as string);
      if (user.status !== 200 || field(user.json, "userName") !== `${ctx.prefix}bulk-user`)
        return fail("expected the User created in bulk at its location", user);
      const replaced = await ctx.send("GET", `${users}/${encodeURIComponent(existing.id)}`);
      const change = USER.changed(ctx, "bulk-put");
      return field(replaced.json, change.attribute) === change.value
        ? pass()
        : fail(`expected the bulk PUT to have set ${change.attribute} "${change.value}"`, replaced);
    },
  },
  {
    id: "bulk.bulk-id-reference",
    title: 'A "bulkId:" reference resolves to the id of a resource created in the same request',
    requirement: "RFC 7644 §3.7.2",
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["bulk"],
    async run(ctx) {
      const users = await endpointOf(ctx, USER);
      if (typeof users !== "string") return users;
      const groups = await endpointOf(ctx, GROUP);
      if (typeof groups !== "string") return groups;
      const { exchange, results } = await sendBulk(ctx, [
        { method: "POST", path: users, bulkId: "member", data: USER.body(ctx, "bulk-member") },
        {
          method: "POST",
          path: groups,
          bulkId: "team",
          data: { ...GROUP.body(ctx, "bulk-team"), members: [{ type: "User", value: "bulkId:member" }] },
        },
      ]);
      const problem = bulkResponse(exchange);
      if (problem) return problem;
      const userPath = createdPath(byBulkId(results, "member"));
      const groupPath = createdPath(byBulkId(results, "team"));
      if (!userPath || !groupPath) return fail("expected both POSTs to succeed with a location", exchange);
      const userId = decodeURIComponent(userPath.split("/").at(-1) as string);
      const group = await ctx.send("GET", groupPath);
      const members = field(group.json, "members");
      const values = Array.isArray(members) ? members.map((m) => field(m, "value")) : [];
      return values.length === 1 && values[0] === userId
        ? pass()
        : fail(`expected the Group's only member to be the new User ${userId}`, group);
    },
  },
  {
    id: "bulk.fail-on-errors",
    title: "failOnErrors 1 stops processing after the first failed operation",
    requirement: "RFC 7644 §3.7; RFC 7644 §3.7.3",
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["bulk"],
    async run(ctx) {
      const users = await endpointOf(ctx, USER);
      if (typeof users !== "string") return users;
      const { userName: _, ...invalid } = USER.body(ctx, "fail-on-errors-bad");
      const after = USER.body(ctx, "fail-on-errors-after");
      const { exchange, results } = await sendBulk(
        ctx,
        [
          { method: "POST", path: users, bulkId: "bad", data: invalid },
          { method: "POST", path: users, bulkId: "after", data: after },
        ],
        { failOnErrors: 1 },
      );
      const problem = bulkResponse(exchange);
      if (problem) return problem;
      const bad = byBulkId(results, "bad");
      if (statusOf(bad) !== 400) return fail('expected status "400" for the User without userName', exchange);
      // §3.7: "When indicating an error, the "response" attribute MUST contain the detail error response".
      if (!schemasOf(field(bad, "response")).includes(URN.error))
        return fail("expected the failed operation's response to be an Error (RFC 7644 §3.12)", exchange);
      if (byBulkId(results, "after") !== undefined)
        return fail("expected no result after the first error (failOnErrors 1)", exchange);
      // A server may process an operation yet leave its result out: look for the User itself too.
      if ((await advertised(ctx, "filter")) === false) return pass();
      const filter = encodeURIComponent(`userName eq "${after.userName as string}"`);
      const found = await ctx.send("GET", `${users}?filter=${filter}`);
      // Only the exact userName counts (and is cleaned up): a server that ignores filters lists everyone.
      const processed = (resourcesOf(found.json) ?? []).filter(
        (r) => field(r, "userName") === after.userName,
      );
      for (const r of processed) ctx.track(`${users}/${encodeURIComponent(String(field(r, "id")))}`);
      return processed.length === 0
        ? pass()
        : fail("the operation after the first error was processed (failOnErrors 1)", found);
    },
  },
  {
    id: "bulk.max-operations",
    title: "A bulk request with more than bulk.maxOperations operations answers 413 naming the limit",
    requirement: "RFC 7644 §3.7.4",
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["bulk"],
    async run(ctx) {
      const maxOperations = await limit(ctx, "bulk", "maxOperations");
      if (maxOperations === undefined)
        return configFailure(ctx, "bulk.maxOperations is not advertised as an integer");
      const users = await endpointOf(ctx, USER);
      if (typeof users !== "string") return users;
      // Deletes of ids that do not exist: a server that runs them anyway changes nothing.
      const operations = Array.from({ length: maxOperations + 1 }, (_, i) => ({
        method: "DELETE",
        path: `${users}/${ctx.prefix}no-such-user-${i}`,
      }));
      const maxPayloadSize = await limit(ctx, "bulk", "maxPayloadSize");
      const size = JSON.stringify({ schemas: [BULK_REQUEST], Operations: operations }).length;
      if (maxPayloadSize !== undefined && size > maxPayloadSize)
        return skip(`${maxOperations + 1} operations take ${size} bytes, over bulk.maxPayloadSize`);
      const { exchange } = await sendBulk(ctx, operations);
      if (exchange.status !== 413) return fail(`expected 413 for ${maxOperations + 1} operations`, exchange);
      const shape = errorShape(exchange);
      if (shape) return fail(shape, exchange);
      // §3.7.4: "The returned response MUST specify the limit exceeded in the body of the error response."
      return exchange.text.includes("maxOperations") || exchange.text.includes(String(maxOperations))
        ? pass()
        : fail(`expected the error to name the limit (maxOperations ${maxOperations})`, exchange);
    },
  },
];
