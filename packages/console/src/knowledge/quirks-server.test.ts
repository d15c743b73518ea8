/// <reference types="node" />
import { createScimHandler, MemoryStore } from "@scimkit/server";
import { type RunningServer, serve } from "@scimkit/server/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestDetail, RequestPage } from "../api/types.js";
import { quirkHints } from "./quirks.js";

// The hints are only worth showing if they match what a strict server really answers: each quirk
// below is sent to @scimkit/server with `strict: true` on a real port, and the recorded failure (read
// back through the console read API, as the console reads it) must get its hint.
const TOKEN = "quirks-test-token-0123456789";
const ENTRA = "Microsoft Azure AD SCIM provisioning 1.0";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

let running: RunningServer;
let base: string;
let userId: string;

async function send(method: string, path: string, body?: unknown, agent = ENTRA) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      "content-type": "application/scim+json",
      "user-agent": agent,
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The id of the newest recorded request, if any. */
async function newestId(): Promise<string | undefined> {
  const page = (await send("GET", "/_console/requests?limit=1")).body as unknown as RequestPage;
  return page.items[0]?.id;
}

/** The first failure recorded after request `after` (records are written just after the answer). */
async function failureAfter(after: string | undefined): Promise<RequestDetail> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const query = `status=error&limit=1${after ? `&after=${after}` : ""}`;
    const page = (await send("GET", `/_console/requests?${query}`)).body as unknown as RequestPage;
    const id = page.items[0]?.id;
    if (id) return (await send("GET", `/_console/requests/${id}`)).body as unknown as RequestDetail;
    if (Date.now() > deadline) throw new Error("no failure recorded");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  const handler = createScimHandler({
    store: new MemoryStore(),
    auth: { tokens: [TOKEN] },
    basePath: "/scim/v2",
    strict: true,
  });
  running = await serve(handler, { port: 0, host: "127.0.0.1" });
  base = `${running.url.replace(/\/$/, "")}/scim/v2`;
  const created = await send("POST", "/Users", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: "quirks@example.com",
  });
  expect(created.status).toBe(201);
  userId = created.body.id as string;
});
afterAll(() => running?.close());

describe("quirk hints for what a strict @scimkit/server refuses", () => {
  const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
  it.each([
    ["capitalised op", () => patch({ op: "Replace", path: "active", value: false }), /"op": "Add"/],
    ["string boolean", () => patch({ op: "replace", path: "active", value: "False" }), /"True" \/ "False"/],
    [
      "unqualified extension attribute",
      () => patch({ op: "add", path: "department", value: "Sales" }),
      /department/,
    ],
    [
      "URN.attribute",
      () => patch({ op: "add", path: `${ENTERPRISE}.manager`, value: { value: "m" } }),
      /extension URN>\.<attribute>/,
    ],
    [
      "no PatchOp URN",
      () => ({ Operations: [{ op: "replace", path: "active", value: false }] }),
      /PatchOp URN/,
    ],
  ] as const)("%s", async (_name, body, want) => {
    const before = await newestId();
    const answer = await send("PATCH", `/Users/${userId}`, body());
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    const recorded = await failureAfter(before);
    expect(recorded.method).toBe("PATCH");
    expect(recorded.scimType).toBe(answer.body.scimType);
    const hints = quirkHints(recorded);
    expect(hints.map((h) => h.quirk).join("\n"), `${JSON.stringify(answer.body)}`).toMatch(want);
  });
});

it("hints at Okta's custom types for a value outside canonicalValues", async () => {
  const before = await newestId();
  const answer = await send(
    "POST",
    "/Users",
    {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "typed@example.com",
      emails: [{ value: "typed@example.com", type: "office" }],
    },
    "Okta SCIM Client 1.0.0",
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  const recorded = await failureAfter(before);
  expect(recorded.idp).toBe("okta");
  expect(
    quirkHints(recorded).map((h) => h.sentBy),
    recorded.detail,
  ).toContain("Okta custom types");
});

it("hints at an attribute the schema does not define", async () => {
  const before = await newestId();
  const answer = await send("POST", "/Users", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: "unknown@example.com",
    favoriteColor: "green",
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  const recorded = await failureAfter(before);
  expect(
    quirkHints(recorded).map((h) => h.quirk),
    recorded.detail,
  ).toContain("An attribute the schema does not define");
});
