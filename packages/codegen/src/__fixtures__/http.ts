// Test helpers: real HTTP servers on 127.0.0.1 and an ephemeral port, for `scimkit generate --from-url`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createScimHandler, MemoryStore, type ScimHandlerOptions } from "@scimkit/server";
import { toNodeListener } from "@scimkit/server/node";

/** A listening node:http server. */
export interface TestHttpServer {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly port: number;
  /** What each request asked for: method, URL (path and query) and headers. */
  readonly requests: { method: string; url: string; headers: IncomingMessage["headers"] }[];
  close(): Promise<void>;
}

const open = new Set<Server>();

/** Serves `listener` on 127.0.0.1 and a free port, recording every request. */
export async function serve(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestHttpServer> {
  const requests: TestHttpServer["requests"] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    listener(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  open.add(server);
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  open.delete(server);
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Closes every server still open (for afterAll). */
export async function closeServers(): Promise<void> {
  await Promise.all([...open].map(closeServer));
}

/** The reference SCIM server of @scimkit/server (MemoryStore) behind `toNodeListener`; `base` is its service root. */
export async function serveScim(
  options: Partial<ScimHandlerOptions> = {},
): Promise<TestHttpServer & { readonly base: string }> {
  const handler = createScimHandler({ store: new MemoryStore(), ...options });
  const server = await serve(toNodeListener(handler));
  return { ...server, base: `${server.origin}/scim/v2` };
}

/** Answers every request with `status`, `body` (JSON unless a string) and `headers`. */
export function answer(
  status: number,
  body: unknown,
  headers: Record<string, string> = { "content-type": "application/scim+json" },
): (req: IncomingMessage, res: ServerResponse) => void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return (_req, res) => {
    res.writeHead(status, { ...headers, "content-length": Buffer.byteLength(text) });
    res.end(text);
  };
}
