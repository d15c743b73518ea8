/// <reference types="node" />
// A deliberately misbehaving SCIM server on a real 127.0.0.1 port: the reference handler (in memory)
// behind a wrapper that answers some writes 429 with Retry-After, some 503, and makes every answer slow.
// A well-behaved client waits the Retry-After (RFC 6585 §4, RFC 9110 §10.2.3) and retries, so the final
// state is the same as against a well-behaved server.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createScimHandler, MemoryStore } from "@scimkit/server";
import { toNodeListener } from "@scimkit/server/node";

/** How the server misbehaves. */
export interface Misbehaviour {
  /**
   * Every nth write (POST, PUT, PATCH, DELETE) answers 429 with `Retry-After: 1`; 0 never. A write it
   * refused once goes through when it comes again: with a global counter alone, the same request of a
   * batch retried in lockstep could land on a refused slot every time and exhaust the client's retries,
   * which tests the counter rather than the client.
   */
  readonly tooManyEvery: number;
  /** Every nth write answers 503 (with `Retry-After: 1`); 0 never. */
  readonly unavailableEvery: number;
  /** Milliseconds every answer is held back. */
  readonly delayMs: number;
  /** Most operations in one bulk request it advertises (RFC 7644 §3.7.4); 0: bulk unsupported. */
  readonly maxBulkOperations: number;
}

/** A running misbehaving server and what it did. */
export interface MisbehavingServer {
  readonly url: string;
  readonly token: string;
  readonly store: MemoryStore;
  /** Answers it refused (429 and 503), and writes it let through. */
  readonly counts: { tooMany: number; unavailable: number; writes: number };
  close(): Promise<void>;
}

const TOKEN = "misbehaving-token-0123456789";

/** Starts a misbehaving server. @example const server = await startMisbehaving({ tooManyEvery: 3, unavailableEvery: 5, delayMs: 20, maxBulkOperations: 0 }); */
export async function startMisbehaving(how: Misbehaviour): Promise<MisbehavingServer> {
  const store = new MemoryStore();
  const handle = createScimHandler({
    store,
    auth: { tokens: [TOKEN] },
    ...(how.maxBulkOperations > 0 ? { maxBulkOperations: how.maxBulkOperations } : {}),
  });
  const counts = { tooMany: 0, unavailable: 0, writes: 0 };
  let writes = 0;
  const refused = new Set<string>();
  const wrapped = async (request: Request): Promise<Response> => {
    await new Promise((resolve) => setTimeout(resolve, how.delayMs));
    const url = new URL(request.url);
    if (how.maxBulkOperations === 0 && url.pathname.endsWith("/ServiceProviderConfig")) {
      const response = await handle(request);
      const config = (await response.json()) as { bulk?: { supported: boolean } };
      config.bulk = { ...config.bulk, supported: false, maxOperations: 0, maxPayloadSize: 0 } as never;
      return Response.json(config, {
        status: response.status,
        headers: { "content-type": "application/scim+json" },
      });
    }
    if (how.maxBulkOperations === 0 && url.pathname.endsWith("/Bulk"))
      return scimError(501, "bulk is not supported here (ServiceProviderConfig bulk.supported is false)");
    if (request.method !== "GET" && request.method !== "HEAD") {
      writes += 1;
      const key = `${request.method} ${url.pathname} ${await request.clone().text()}`;
      if (!refused.has(key)) {
        if (how.tooManyEvery > 0 && writes % how.tooManyEvery === 0) {
          refused.add(key);
          counts.tooMany += 1;
          return scimError(429, "too many requests; retry after 1 s", { "retry-after": "1" });
        }
        if (how.unavailableEvery > 0 && writes % how.unavailableEvery === 0) {
          refused.add(key);
          counts.unavailable += 1;
          return scimError(503, "service unavailable for a moment", { "retry-after": "1" });
        }
      }
      counts.writes += 1;
    }
    return handle(request);
  };
  const server: Server = createServer(toNodeListener(wrapped));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    token: TOKEN,
    store,
    counts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function scimError(status: number, detail: string, headers: Record<string, string> = {}): Response {
  return new Response(
    JSON.stringify({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: String(status),
      detail,
    }),
    { status, headers: { "content-type": "application/scim+json", ...headers } },
  );
}
