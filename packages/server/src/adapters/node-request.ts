/// <reference types="node" />
import type { IncomingMessage, ServerResponse } from "node:http";
import { type RequestBody, requestBody } from "./node-body.js";

/** A node:http request as Express hands it over: `originalUrl` kept when a router rewrote `url`, maybe a parsed body. */
export type NodeRequest = IncomingMessage & { originalUrl?: string; body?: unknown };

/** Options of {@link toRequest}. */
export interface ToRequestOptions {
  /** Becomes the `Request`'s `signal`: abort it when the client goes away. */
  readonly signal?: AbortSignal;
}

/** The absolute URL of a node:http request (`originalUrl` first), from its Host header; throws when it is not valid. */
export function requestUrl(req: NodeRequest): URL {
  const host = req.headers.host ?? "localhost";
  const protocol = (req.socket as { encrypted?: boolean } | null)?.encrypted ? "https" : "http";
  const target = req.originalUrl ?? req.url ?? "/";
  // Appended, not resolved: a target such as "//x/y" is a path, not a protocol-relative URL naming host x.
  return target.startsWith("/")
    ? new URL(`${protocol}://${host}${target}`)
    : new URL(target, `${protocol}://${host}`);
}

/** The web `Request` and how its body is fed, for the listener to fail it on abort or timeout. */
export function buildRequest(
  req: NodeRequest,
  signal: AbortSignal | undefined,
): { request: Request; body: RequestBody } {
  const url = requestUrl(req);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const body = requestBody(req);
  const init: RequestInit & { duplex?: "half" } = { method: req.method ?? "GET", headers };
  if (signal) init.signal = signal;
  if (body.kind === "stream") {
    init.body = body.stream;
    init.duplex = "half";
  } else if (body.kind === "parsed") {
    // The parser decoded and decompressed the bytes: the wire's framing headers no longer describe them.
    headers.delete("transfer-encoding");
    headers.delete("content-encoding");
    headers.set("content-length", String(body.bytes.byteLength));
    init.body = body.bytes as Uint8Array<ArrayBuffer>;
  }
  return { request: new Request(url, init), body };
}

/**
 * Converts a node:http request into a web-standard `Request`. The URL comes from `originalUrl` when a
 * framework (Express) rewrote `url` for a mounted router, and from the Host header; the body streams,
 * or, when a body parser such as `express.json()` already read it, comes from `req.body`. Throws when the
 * Host header makes no valid URL, or a parser consumed the body and left nothing usable in `req.body`.
 *
 * @example
 * const controller = new AbortController();
 * const request = toRequest(req, { signal: controller.signal });
 */
export function toRequest(req: NodeRequest, options: ToRequestOptions = {}): Request {
  return buildRequest(req, options.signal).request;
}

/**
 * Writes a web-standard `Response` to a node:http response. Nothing is written once the client is gone.
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
  if (response.body && response.headers.get("content-type")?.startsWith("text/event-stream"))
    return writeStream(res, response.status, headers, response.body);
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (res.destroyed || res.headersSent) return;
  res.writeHead(response.status, headers);
  res.end(body);
}

/**
 * A response written as it is produced (Server-Sent Events: the console's live updates), each chunk
 * flushed at once; the stream is cancelled when the connection closes, and ended when the server
 * ends the response (a graceful close).
 */
/** Responses being written as event streams: a graceful close ends them (node-serve.ts). */
export const eventStreams = new WeakSet<ServerResponse>();

async function writeStream(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | string[]>,
  body: ReadableStream<Uint8Array>,
): Promise<void> {
  if (res.destroyed || res.headersSent) return void body.cancel();
  const reader = body.getReader();
  const stop = () => void reader.cancel().catch(() => undefined);
  res.once("close", stop);
  eventStreams.add(res);
  res.writeHead(status, headers);
  res.flushHeaders();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.writableEnded || res.destroyed) break;
      res.write(value);
    }
  } finally {
    res.off("close", stop);
    if (!res.writableEnded && !res.destroyed) res.end();
    stop();
  }
}
