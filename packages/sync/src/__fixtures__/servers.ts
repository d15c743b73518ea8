/// <reference types="node" />
/** Reference SCIM servers (createScimHandler of @scimkit/server) on real 127.0.0.1 ports for the tests. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createScimHandler, MemoryStore, type ScimStore } from "@scimkit/server";
import { toNodeListener } from "@scimkit/server/node";

export const TOKEN = "sync-test-token-0123456789";

export interface Running {
  url: string;
  /** Every request as "METHOD /path". */
  log: string[];
  close(): Promise<void>;
}

type HandlerOptions = Omit<Parameters<typeof createScimHandler>[0], "store" | "auth">;
type Handler = (request: Request) => Promise<Response>;

/** A reference server with `store` (a fresh MemoryStore by default), optionally wrapped to misbehave. */
export async function startServer(
  options: HandlerOptions & { store?: ScimStore; wrap?: (handler: Handler) => Handler } = {},
): Promise<Running> {
  const { store = new MemoryStore(), wrap = (h) => h, ...rest } = options;
  const listener = toNodeListener(wrap(createScimHandler({ store, auth: { tokens: [TOKEN] }, ...rest })));
  const log: string[] = [];
  const server: Server = createServer((request, response) => {
    log.push(`${request.method} ${request.url}`);
    listener(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A target without PATCH (RFC 7644 §3.5.2 makes it optional): ServiceProviderConfig says
 * `patch.supported: false` and `bulk.supported: false`, and a PATCH answers 501.
 */
export const withoutPatch =
  (handler: Handler): Handler =>
  async (request) => {
    if (request.method === "PATCH")
      return Response.json(
        {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
          status: "501",
          detail: "PATCH is not supported",
        },
        { status: 501, headers: { "content-type": "application/scim+json" } },
      );
    const response = await handler(request);
    if (!new URL(request.url).pathname.endsWith("/ServiceProviderConfig")) return response;
    const config = (await response.json()) as Record<string, unknown>;
    return Response.json(
      {
        ...config,
        patch: { supported: false },
        bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      },
      { headers: { "content-type": "application/scim+json" } },
    );
  };
