/// <reference types="node" />
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { toNodeListener } from "../../adapters/node.js";
import { createScimHandler } from "../../http/handler.js";
import type { ScimHandlerOptions } from "../../http/options.js";
import { MemoryStore } from "../../stores/memory-store.js";
import { PostgresStore } from "../../stores/postgres.js";
import type { ScimStore } from "../../stores/store.js";

/**
 * The stores the replays run against: the in-memory store, and what `pnpm start` serves from (the
 * PostgreSQL store on embedded PGlite; the shared store suite covers a real PostgreSQL).
 */
export const BACKENDS: readonly { readonly name: string; readonly store: () => Promise<ScimStore> }[] = [
  { name: "MemoryStore", store: async () => new MemoryStore() },
  { name: "PostgresStore on PGlite", store: () => PostgresStore.open({ memory: true }) },
];

/** A SCIM server on a real socket: the handler behind toNodeListener on 127.0.0.1 and an ephemeral port. */
export interface TestServer {
  readonly server: Server;
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  /** origin + basePath, e.g. http://127.0.0.1:<port>/scim/v2 */
  readonly base: string;
  readonly store: ScimStore;
  /** fetch relative to `base`, with the bearer token (unless `token: null`) and JSON bodies. */
  request(path: string, init?: ScimInit): Promise<ScimResponse>;
  close(): Promise<void>;
}

export interface ScimInit {
  readonly method?: string;
  /** Serialized with JSON.stringify unless it is already a string. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Bearer token; null sends no Authorization header. Defaults to the server's token. */
  readonly token?: string | null;
}

export interface ScimResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
  readonly body: any;
}

export const TOKEN = "s3cret-token-for-tests";

export async function startServer(
  options: Partial<ScimHandlerOptions> & { readonly token?: string } = {},
): Promise<TestServer> {
  const store: ScimStore = options.store ?? new MemoryStore();
  const token = options.token ?? TOKEN;
  const handler = createScimHandler({
    auth: { tokens: [token] },
    ...options,
    store,
  });
  const server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const basePath =
    options.basePath === undefined
      ? "/scim/v2"
      : `/${options.basePath.replace(/^\/+|\/+$/g, "")}`.replace(/^\/$/, "");
  const base = `${origin}${basePath}`;
  return {
    server,
    origin,
    base,
    store,
    async request(path, init = {}) {
      const headers: Record<string, string> = { accept: "application/scim+json", ...init.headers };
      const bearer = init.token === undefined ? token : init.token;
      if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
        headers["content-type"] ??= "application/scim+json";
      }
      const response = await fetch(path.startsWith("http") ? path : `${base}${path}`, {
        method: init.method ?? (body === undefined ? "GET" : "POST"),
        headers,
        ...(body !== undefined && { body }),
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text === "" ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: response.headers, text, body: parsed };
    },
    async close() {
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
      await store.close?.();
    },
  };
}

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
export const BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
export const BULK_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";
export const SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
