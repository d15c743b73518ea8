/// <reference types="node" />
import {
  type Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
} from "node:http";
import type { AddressInfo } from "node:net";

/** What a raw node:http client saw: the answer (if any) and the error that ended the exchange (if any). */
export interface Exchange {
  status?: number;
  headers?: IncomingMessage["headers"];
  body?: string;
  /** The client finished writing its whole body. */
  sent: boolean;
  error?: NodeJS.ErrnoException;
  reusedSocket: boolean;
}

/**
 * A raw node:http request whose body is written as the given chunks, with `gap` ms between them; no
 * Content-Length unless given in headers (so the body is chunked). Resolves once the answer was read
 * and the request finished sending, or on a socket error.
 */
export function send(
  port: number,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    chunks?: (Buffer | string)[];
    gap?: number;
    end?: boolean;
    agent?: Agent | false;
  },
): Promise<Exchange> {
  return new Promise((resolve) => {
    const seen: Exchange = { sent: false, reusedSocket: false };
    let answered = false;
    const settle = () => {
      if ((answered && seen.sent) || seen.error) resolve(seen);
    };
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method: options.method ?? "POST",
        path: options.path ?? "/scim/v2/Users",
        headers: options.headers ?? {},
        agent: options.agent ?? false,
      },
      (res) => {
        seen.status = res.statusCode ?? 0;
        seen.headers = res.headers;
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () => {
          seen.body = Buffer.concat(parts).toString();
          answered = true;
          settle();
        });
      },
    );
    seen.reusedSocket = false;
    req.on("socket", () => {
      seen.reusedSocket = req.reusedSocket;
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      seen.error = error;
      settle();
    });
    req.on("finish", () => {
      seen.sent = true;
      settle();
    });
    req.on("close", () => resolve(seen));
    const chunks = [...(options.chunks ?? [])];
    const next = () => {
      if (seen.error) return;
      const chunk = chunks.shift();
      if (chunk === undefined) {
        if (options.end !== false) req.end();
        return;
      }
      req.write(chunk);
      if (options.gap) setTimeout(next, options.gap);
      else next();
    };
    next();
  });
}

/** Listens on a free port of 127.0.0.1. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** Closes a server and every connection it still has. */
export async function shut(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** Creates a node:http server for a listener. */
export { createServer };

export const TOKEN = "adapter-test-token-0123456789";
export const AUTH = { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" };

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check()` holds, polling every 10 ms, for at most `ms`. */
export async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await sleep(10);
  }
}
