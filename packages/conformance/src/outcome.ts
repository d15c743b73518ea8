import { describeExchange, type Exchange } from "./http.js";
import type { CheckOutcome } from "./types.js";

/** The check passed. */
export function pass(): CheckOutcome {
  return { status: "passed" };
}

/** The check failed: `problem` says what is wrong, the exchange what was sent and what came back. */
export function fail(problem: string, exchange?: Exchange): CheckOutcome {
  // A problem listing what came back (ids of a long page) is cut like the bodies are.
  const said = problem.length > PROBLEM_LIMIT ? `${problem.slice(0, PROBLEM_LIMIT)}…` : problem;
  return { status: "failed", detail: exchange ? `${said}: ${describeExchange(exchange)}` : said };
}

/** Longest problem statement a failure detail keeps. */
const PROBLEM_LIMIT = 300;

/** The check does not apply to this server. */
export function skip(reason: string): CheckOutcome {
  return { status: "skipped", detail: reason };
}

export const URN = {
  error: "urn:ietf:params:scim:api:messages:2.0:Error",
  listResponse: "urn:ietf:params:scim:api:messages:2.0:ListResponse",
  patchOp: "urn:ietf:params:scim:api:messages:2.0:PatchOp",
  serviceProviderConfig: "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig",
  resourceType: "urn:ietf:params:scim:schemas:core:2.0:ResourceType",
  schema: "urn:ietf:params:scim:schemas:core:2.0:Schema",
  user: "urn:ietf:params:scim:schemas:core:2.0:User",
  group: "urn:ietf:params:scim:schemas:core:2.0:Group",
} as const;
