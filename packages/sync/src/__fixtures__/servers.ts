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

/** A reference server with `store` (a fresh MemoryStore by default). */
export async function startServer(options: HandlerOptions & { store?: ScimStore } = {}): Promise<Running> {
  const { store = new MemoryStore(), ...rest } = options;
  const listener = toNodeListener(createScimHandler({ store, auth: { tokens: [TOKEN] }, ...rest }));
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
