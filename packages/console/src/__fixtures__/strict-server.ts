/// <reference types="node" />
import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { createScimHandler, MemoryStore } from "@scimkit/server";
import { type RunningServer, serve } from "@scimkit/server/node";

const DIST = join(import.meta.dirname, "..", "..", "dist");
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/**
 * A strict `@scimkit/server` (MemoryStore) on a real port with the built console beside it, for the
 * quirk hints, which only a strict server gives cause for (the reference server is lenient). The files
 * are served plainly here: the reference server's own serving and CSP are tested with it.
 */
export async function startStrictServer(token: string): Promise<RunningServer> {
  const handler = createScimHandler({
    store: new MemoryStore(),
    auth: { tokens: [token] },
    basePath: "/scim/v2",
    strict: true,
  });
  return serve(
    async (request) => {
      const { pathname } = new URL(request.url);
      if (pathname.startsWith("/scim/v2/")) return handler(request);
      const name = pathname === "/" ? "index.html" : pathname.slice(1);
      const type = TYPES[extname(name)];
      if (!type || name.includes("..")) return new Response("not found", { status: 404 });
      try {
        return new Response(await readFile(join(DIST, name)), { headers: { "content-type": type } });
      } catch {
        return new Response("not found", { status: 404 });
      }
    },
    { port: 0, host: "127.0.0.1" },
  );
}
