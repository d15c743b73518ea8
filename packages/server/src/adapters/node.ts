/// <reference types="node" />
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

/** A web-standard handler, such as {@link createScimHandler} returns. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Converts a node:http request into a web-standard `Request`. The URL comes from `originalUrl` when a
 * framework (Express) rewrote `url` for a mounted router, and from the Host header; the body streams.
 *
 * @example
 * const request = toRequest(req);
 */
export function toRequest(req: IncomingMessage & { originalUrl?: string }): Request {
  const host = req.headers.host ?? "localhost";
  const protocol = (req.socket as { encrypted?: boolean }).encrypted ? "https" : "http";
  const target = req.originalUrl ?? req.url ?? "/";
  // Appended, not resolved: a target such as "//x/y" is a path, not a protocol-relative URL naming host x.
  const url = target.startsWith("/")
    ? new URL(`${protocol}://${host}${target}`)
    : new URL(target, `${protocol}://${host}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(url, {
    method,
    headers,
    ...(hasBody && { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" }),
  } as RequestInit);
}

/**
 * Writes a web-standard `Response` to a node:http response.
 *
 * @example
 * await writeResponse(res, await handle(toRequest(req)));
 */
export async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  // Several Set-Cookie headers cannot be joined with commas; node:http writes an array as separate lines.
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  const body = Buffer.from(await response.arrayBuffer());
  res.end(body);
}

/**
 * A node:http listener (also an Express handler) serving a web-standard handler. Requests the handler
 * cannot answer because of an unexpected failure get a 500 without details.
 *
 * @example
 * import { createServer } from "node:http";
 * createServer(toNodeListener(createScimHandler({ store: new MemoryStore() }))).listen(8080);
 * // Express: app.use("/scim/v2", toNodeListener(handle));
 */
export function toNodeListener(handler: FetchHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    let request: Request;
    try {
      request = toRequest(req);
    } catch {
      res.writeHead(400, { "content-type": "application/scim+json" });
      res.end(
        JSON.stringify({
          schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
          status: "400",
          detail: "malformed request",
        }),
      );
      return;
    }
    handler(request)
      .then((response) => writeResponse(res, response))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/scim+json" });
        res.end(
          JSON.stringify({
            schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
            status: "500",
            detail: "internal server error",
          }),
        );
      });
  };
}
