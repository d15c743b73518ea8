/// <reference types="node" />
import type { UserInput } from "@scimkit/models";
import { createScimHandler, MemoryStore } from "@scimkit/server";
import { toNodeListener } from "@scimkit/server/node";
import { listen, type Running } from "./http.js";

/** The bearer token the reference server accepts. */
export const TOKEN = "client-test-token-0123";
export const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** A User to create: its `schemas`, `userName` and any other attributes given. */
export const user = (userName: string, extra: Partial<UserInput> = {}): UserInput => ({
  schemas: [USER],
  userName,
  ...extra,
});

/** Options of the reference handler other than its store and tokens, e.g. `me` or the bulk limits. */
export type ReferenceOptions = Omit<Parameters<typeof createScimHandler>[0], "store" | "auth">;

/** A running reference server; `baseUrl` is its SCIM root. */
export type Reference = Running & { baseUrl: string };

/** The reference server with an empty MemoryStore, accepting {@link TOKEN}. */
export async function startReference(options: ReferenceOptions = {}): Promise<Reference> {
  const handler = createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] }, ...options });
  const running = await listen(toNodeListener(handler));
  return { ...running, baseUrl: `${running.url}/scim/v2` };
}
