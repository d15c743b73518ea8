/// <reference types="node" />
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type FetchHandler, type NodeListenerOptions, toNodeListener } from "./node-listener.js";
import { eventStreams } from "./node-request.js";

/**
 * Options of {@link serve}.
 *
 * @example
 * await serve(handle, { port: 8080, host: "0.0.0.0", maxConnections: 512, gracePeriod: 10_000 });
 */
export interface ServeOptions extends NodeListenerOptions {
  /** TCP port; 0 picks a free one. Default 8080. */
  readonly port?: number;
  /** Address to listen on. Default "127.0.0.1" (this machine only); "0.0.0.0" or "::" in a container. */
  readonly host?: string;
  /** Most open sockets at once (`server.maxConnections`); connections past it are closed on accept. Default: no bound. */
  readonly maxConnections?: number;
  /** Milliseconds {@link RunningServer.close} lets in-flight requests finish before cutting them off. Default 10,000. */
  readonly gracePeriod?: number;
}

/** Options of {@link RunningServer.close}. */
export interface CloseOptions {
  /** Overrides the server's `gracePeriod` for this close. */
  readonly gracePeriod?: number;
}

/**
 * A listening server returned by {@link serve}.
 *
 * @example
 * const running = await serve(handle, { port: 0 });
 * console.log(running.url); // http://127.0.0.1:54321
 * await running.close();
 */
export interface RunningServer {
  /** The node:http server, for settings serve() has no option for. */
  readonly server: Server;
  /** The origin it listens on, such as `http://127.0.0.1:8080` (IPv6 hosts in brackets). */
  readonly url: string;
  /** The port it listens on (the one picked when `port` was 0). */
  readonly port: number;
  /**
   * Shuts down gracefully: stops accepting connections, closes idle keep-alive connections, lets
   * in-flight requests finish (their answers, and any further request on their connections, carry
   * `Connection: close`), and after the grace period destroys what is left. Resolves once every
   * connection is closed and, for a handler with `drain` (what `createScimHandler` returns), every
   * answered request is recorded — so the store can be closed next. Calling it again returns the same
   * promise.
   */
  close(options?: CloseOptions): Promise<void>;
}

function origin(address: AddressInfo): string {
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** The handler's `drain` (what `createScimHandler` returns has one), or nothing to wait for. */
async function drainOf(handler: FetchHandler): Promise<void> {
  const drain = (handler as { drain?: unknown }).drain;
  if (typeof drain === "function") await (drain as () => unknown).call(handler);
}

/**
 * Serves a web-standard handler on node:http with the protections a deployment needs: a body timeout
 * (408), a bound on open connections and a graceful close that drains in-flight requests.
 * Rejects when the server cannot listen (`EADDRINUSE`, `EACCES`, `EADDRNOTAVAIL`).
 *
 * @example
 * import { createScimHandler } from "@scimkit/server";
 * import { serve } from "@scimkit/server/node";
 * const running = await serve(createScimHandler({ store, auth: { tokens: [process.env.SCIM_TOKEN ?? ""] } }), { port: 8080 }); // unset → TypeError
 * process.once("SIGTERM", () => void running.close().then(() => store.close()));
 */
export async function serve(handler: FetchHandler, options: ServeOptions = {}): Promise<RunningServer> {
  const listener = toNodeListener(handler, options);
  const gracePeriod = options.gracePeriod ?? 10_000;
  const inFlight = new Set<ServerResponse>();
  let closing: Promise<void> | undefined;
  const server = createServer((req, res) => {
    if (closing) res.setHeader("connection", "close");
    inFlight.add(res);
    res.once("close", () => {
      inFlight.delete(res);
      // The connection may now be idle: during a close, let it go rather than wait for keep-alive.
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    listener(req, res);
  });
  if (options.maxConnections !== undefined) server.maxConnections = options.maxConnections;
  const bodyTimeout = options.bodyTimeout ?? 30_000;
  // Node's own limit on receiving a whole request answers a bare 408; keep it behind ours.
  if (bodyTimeout === 0 || bodyTimeout >= server.requestTimeout) server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8080, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    url: origin(address),
    port: address.port,
    close(closeOptions = {}) {
      closing ??= new Promise<void>((resolve) => {
        const grace = closeOptions.gracePeriod ?? gracePeriod;
        const timer = setTimeout(() => server.closeAllConnections(), grace);
        server.close(() => {
          clearTimeout(timer);
          // The answers are out; their records may still be on their way to the store (ScimHandler.drain).
          drainOf(handler).then(resolve, resolve);
        });
        for (const res of inFlight) {
          if (!res.headersSent) res.setHeader("connection", "close");
          // An event stream (the console's live updates) never finishes by itself: end it, the client reconnects elsewhere.
          else if (eventStreams.has(res)) res.end();
        }
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
