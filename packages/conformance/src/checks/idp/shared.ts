import { type Exchange, field, resourcesOf, schemasOf } from "../../http.js";
import { fail, URN } from "../../outcome.js";
import type { CheckContext, CheckOutcome } from "../../types.js";
import { endpointOf, GROUP, USER } from "../bodies.js";

/** The enterprise User extension (RFC 7643 §4.3), which Entra ID writes department, employeeNumber and manager to. */
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/** The extra schema URN Entra ID puts in a Group create body (Microsoft Learn, "Develop a SCIM endpoint": Create Group). */
export const MS_GROUP_SCHEMA = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

/**
 * What the identity provider does when a check fails, each from the vendor's own documentation. A failure
 * detail names one of these, so a reader knows what breaks in production, not only which rule.
 */
export const CONSEQUENCE = {
  entraNotFound:
    "Entra ID reports a 404 where it expects 200 as a SCIM compliance issue and puts the provisioning job in quarantine (Microsoft Learn: Application provisioning in quarantine status)",
  entraEscrow:
    "Entra ID logs the operation as failed and retries it 6, 12 and 24 hours later, then daily for 28 days; from 5,000 failures, over 40% failing quarantines the job (Microsoft Learn: Application provisioning in quarantine status)",
  entraReference:
    "Entra ID logs a reference failure (manager or group member) and retries it on later cycles (Microsoft Learn: Application provisioning in quarantine status)",
  entraSilent:
    "Entra ID takes the answer as success and does not retry, so the app and the directory disagree until the attribute changes again",
  oktaLookup:
    "Okta provisions a user only after this lookup answers (Okta SCIM 2.0 protocol reference: Determine if the User already exists)",
  oktaCreate:
    'Okta marks the create as failed ("Create new user returned empty user") unless the answer is the created User (Okta SCIM 2.0 protocol reference)',
  oktaConflict:
    "Okta expects 409 with a SCIM Error to stop provisioning a User that already exists (Okta SCIM 2.0 protocol reference)",
  oktaUpdate:
    "Okta expects the updated resource back (or 204 for PATCH) and reports the push as failed otherwise (Okta SCIM 2.0 protocol reference)",
  oktaSilent:
    "Okta takes the answer as success and does not retry, so the app and Okta disagree until the next push",
  oktaIntegers:
    "Okta pages with startIndex, count and totalResults and needs them as integers, not strings (Okta SCIM 2.0 protocol reference: Retrieve Users)",
  oktaOrder:
    "Okta imports page by page, startIndex growing by count; an order that depends on the page makes it skip and repeat resources (Okta SCIM 2.0 protocol reference: Retrieve Users)",
} as const;

/** A failure naming what the IdP does about it. */
export function idpFail(consequence: string, problem: string, exchange: Exchange): CheckOutcome {
  return fail(`${problem}. ${consequence}`, exchange);
}

/** A PatchOp body (RFC 7644 §3.5.2) with the operations as the IdP writes them. */
export function patchBody(...operations: object[]): object {
  return { schemas: [URN.patchOp], Operations: operations };
}

/** `?filter=…` with the expression percent-encoded, plus any further parameters. */
export function filterQuery(expression: string, extra = ""): string {
  return `?filter=${encodeURIComponent(expression)}${extra}`;
}

/** True for the answers RFC 7644 §3.5.2 allows a successful PATCH: 200 with the resource, or 204. */
export function patched(exchange: Exchange): boolean {
  return exchange.status === 200 || exchange.status === 204;
}

/** The `value` of each member of a Group body. */
export function memberIds(body: unknown): unknown[] {
  const members = field(body, "members");
  return Array.isArray(members) ? members.map((m) => field(m, "value")) : [];
}

/** The enterprise extension object of a User body, or {}. */
export function enterpriseOf(body: unknown): Record<string, unknown> {
  const extension = field(body, ENTERPRISE);
  return typeof extension === "object" && extension !== null && !Array.isArray(extension)
    ? (extension as Record<string, unknown>)
    : {};
}

/** The work email of a User body, or undefined. */
export function workEmail(body: unknown): unknown {
  const emails = field(body, "emails");
  if (!Array.isArray(emails)) return undefined;
  return field(
    emails.find((e) => field(e, "type") === "work"),
    "value",
  );
}

/**
 * Reads a filtered list and says what is wrong with it as a ListResponse (RFC 7644 §3.4.2): status 200,
 * the ListResponse URN, integer totalResults, and Resources holding `totalResults` entries when it fits.
 */
export function listProblem(exchange: Exchange, expectedTotal?: number): string | undefined {
  if (exchange.status !== 200) return "expected 200 with a ListResponse";
  if (!schemasOf(exchange.json).includes(URN.listResponse)) return `expected schemas [${URN.listResponse}]`;
  const total = field(exchange.json, "totalResults");
  if (typeof total !== "number" || !Number.isInteger(total)) return "expected totalResults as an integer";
  if (expectedTotal !== undefined && total !== expectedTotal)
    return `expected totalResults ${expectedTotal}, got ${total}`;
  const resources = resourcesOf(exchange.json) ?? [];
  if (total === 0 && resources.length > 0) return "totalResults is 0 but Resources is not empty";
  return undefined;
}

/** The ids of a ListResponse's Resources. */
export function listedIds(exchange: Exchange): unknown[] {
  return (resourcesOf(exchange.json) ?? []).map((r) => r.id);
}

/** The Users and Groups endpoints, or the skip outcome when either is not advertised. */
export async function endpoints(
  ctx: CheckContext,
): Promise<{ users: string; groups: string } | CheckOutcome> {
  const users = await endpointOf(ctx, USER);
  if (typeof users !== "string") return users;
  const groups = await endpointOf(ctx, GROUP);
  if (typeof groups !== "string") return groups;
  return { users, groups };
}

/** Creates a resource for a check; the outcome is a failure naming the create when it did not work. */
export async function make(
  ctx: CheckContext,
  endpoint: string,
  body: Record<string, unknown>,
  consequence: string,
): Promise<{ id: string; path: string; exchange: Exchange } | CheckOutcome> {
  const made = await ctx.create(endpoint, body);
  if (made.id === undefined)
    return idpFail(
      consequence,
      "could not create a resource to test with (expected 201 and an id)",
      made.exchange,
    );
  return { id: made.id, path: `${endpoint}/${encodeURIComponent(made.id)}`, exchange: made.exchange };
}

/** A minimal RFC 7643 User named after the run prefix (for managers and group members). */
export function plainUser(ctx: CheckContext, suffix: string): Record<string, unknown> {
  return { schemas: [URN.user], userName: `${ctx.prefix}${suffix}`, active: true };
}

/** A random hex string, so a lookup for "nobody" cannot hit a resource left by an earlier run. */
export function nonce(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
}
