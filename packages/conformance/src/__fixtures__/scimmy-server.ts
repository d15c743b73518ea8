/// <reference types="node" />
/**
 * SCIMMY (https://github.com/scimmyjs/scimmy) behind scimmy-routers on a real 127.0.0.1 port, with the
 * small in-memory storage SCIMMY leaves to the application: its ingress (create/replace), egress (read/
 * list) and degress (delete) handlers for User and Group. SCIMMY itself parses and validates bodies,
 * applies PATCH, projects attributes, sorts and pages list responses; the glue only stores, looks up,
 * filters (with SCIMMY's own Filter.match) and enforces what storage owns: ids, meta timestamps and the
 * userName / displayName uniqueness (RFC 7643 §4.1.1, §4.2).
 *
 * SCIMMY keeps its declarations and config in module-global state, so only one of these servers can run
 * per process; the test file owns it.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";

/** A running SCIMMY server: SCIM base URL, bearer token, what it stores, and how to stop it. */
export interface ScimmyServer {
  readonly url: string;
  readonly token: string;
  /** userNames and displayNames currently stored (to check a run leaves nothing behind). */
  stored(): string[];
  close(): Promise<void>;
}

export const SCIMMY_TOKEN = "scimmy-test-token-0123456789abcdef";

type Stored = Record<string, unknown> & { id: string; meta: { created: string; lastModified: string } };

/** What SCIMMY hands an ingress/egress/degress handler: the resource instance it was built with. */
interface Target {
  readonly id?: string;
  readonly filter?: { match(values: readonly object[]): object[] };
}

/** JSON with object keys sorted, so two values compare equal whatever order their keys came in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * One resource type's storage. `unique` is the attribute storage keeps unique, compared case-insensitively
 * (userName: uniqueness server, caseExact false, RFC 7643 §4.1.1). Group displayName has uniqueness none
 * (RFC 7643 §8.7.1), so Groups get no such rule.
 */
function memoryStorage(unique?: string) {
  const rows = new Map<string, Stored>();
  const keyOf = (value: unknown) => (typeof value === "string" ? value.toLowerCase() : undefined);

  // Not-found cases throw a plain Error: SCIMMY answers any handler exception that is not a TypeError or
  // one of its own errors with its 404 "Resource … not found" (RFC 7644 §3.12).
  const ingress = (resource: Target, instance: Record<string, unknown>): Stored => {
    if (unique !== undefined) {
      const key = keyOf(instance[unique]);
      const clash = [...rows.values()].find((r) => r.id !== resource.id && keyOf(r[unique]) === key);
      // SCIMMY.Types.Error becomes the SCIM Error response with this status and scimType (RFC 7644 §3.12).
      if (key !== undefined && clash)
        throw new SCIMMY.Types.Error(409, "uniqueness", `${unique} "${String(instance[unique])}" is taken`);
    }
    const now = new Date().toISOString();
    // SCIMMY passes a schema instance whose id/meta are SCIMMY's; storage keeps its own, so copy values only.
    const { id: _id, meta: _meta, schemas: _schemas, ...values } = JSON.parse(JSON.stringify(instance));
    if (resource.id !== undefined) {
      const existing = rows.get(resource.id);
      if (!existing) throw new Error(`no resource ${resource.id}`);
      const { id: _same, meta: _before, ...current } = existing;
      // SCIMMY calls ingress after every PATCH, also one that changed nothing; the timestamps are storage's,
      // and such a PATCH SHALL NOT change the modify timestamp (RFC 7644 §3.5.2.1).
      if (canonical(current) === canonical(values)) return existing;
      const row: Stored = {
        ...values,
        id: existing.id,
        meta: { created: existing.meta.created, lastModified: now },
      };
      rows.set(row.id, row);
      return row;
    }
    const row: Stored = { ...values, id: randomUUID(), meta: { created: now, lastModified: now } };
    rows.set(row.id, row);
    return row;
  };

  const egress = (resource: Target): Stored | Stored[] => {
    if (resource.id !== undefined) {
      const row = rows.get(resource.id);
      if (!row) throw new Error(`no resource ${resource.id}`);
      return row;
    }
    const all = [...rows.values()];
    // Filtering is the egress handler's job in SCIMMY; its Filter class evaluates the parsed expression.
    return resource.filter ? (resource.filter.match(all) as Stored[]) : all;
  };

  const degress = (resource: Target): void => {
    if (resource.id === undefined || !rows.delete(resource.id)) throw new Error(`no resource ${resource.id}`);
  };

  return { rows, ingress, egress, degress };
}

/** SCIMMY with in-memory Users and Groups, served under /scim/v2 on a free 127.0.0.1 port. */
export async function startScimmyServer(): Promise<ScimmyServer> {
  const users = memoryStorage("userName");
  const groups = memoryStorage();
  // SCIMMY's handler types are generic over its schema classes; the glue works on plain JSON records.
  const { User, Group } = SCIMMY.Resources;
  type Ingress<R extends typeof User | typeof Group> = Parameters<R["ingress"]>[0];
  type Egress<R extends typeof User | typeof Group> = Parameters<R["egress"]>[0];
  // The enterprise extension (RFC 7643 §4.3) is declared as an app provisioned by Entra ID or Okta would.
  SCIMMY.Resources.declare(
    User.extend(SCIMMY.Schemas.EnterpriseUser, false)
      .ingress(users.ingress as unknown as Ingress<typeof User>)
      .egress(users.egress as unknown as Egress<typeof User>)
      .degress(users.degress),
  );
  SCIMMY.Resources.declare(
    Group.ingress(groups.ingress as unknown as Ingress<typeof Group>)
      .egress(groups.egress as unknown as Egress<typeof Group>)
      .degress(groups.degress),
  );

  let base = "";
  const app = express();
  app.use(
    "/scim/v2",
    new SCIMMYRouters({
      type: "bearer",
      // scimmy-routers answers 401 when the handler throws (RFC 7644 §2).
      handler: (request) => {
        if (request.header("authorization") !== `Bearer ${SCIMMY_TOKEN}`)
          throw new Error("a valid bearer token is required");
        return "conformance";
      },
      baseUri: () => base,
    }),
  );
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  return {
    url: `${base}/scim/v2`,
    token: SCIMMY_TOKEN,
    stored: () =>
      [...users.rows.values(), ...groups.rows.values()].map((r) => String(r.userName ?? r.displayName)),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
