/// <reference types="node" />
import type { IncomingMessage, ServerResponse } from "node:http";
import { incomingOf } from "../http/incoming.js";
import { BodyAlreadyReadError, type RequestBody } from "./node-body.js";
import { incomingEntryOf, serveIncoming, writeAnswer } from "./node-incoming.js";
import { buildRequest, type NodeRequest } from "./node-request.js";

/** A web-standard handler, such as {@link createScimHandler} returns. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Options of {@link toNodeListener}.
 *
 * @example
 * toNodeListener(handle, { bodyTimeout: 10_000 });
 */
export interface NodeListenerOptions {
  /**
   * Milliseconds a request's body has, from the moment the request arrived, to arrive whole; a slower one
   * is answered 408 and its connection closed. Time the handler takes to start reading (a full buffer it
   * has not taken) does not count against the client. Also bounds how long a refused body (413) is drained after
   * the answer before the connection is closed. Default 30,000; 0 turns it off.
   */
  readonly bodyTimeout?: number;
}

/** How much of a body that the handler did not read is drained after the answer, to keep the connection. */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

function scimError(status: number, detail: string): string {
  return JSON.stringify({
    schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
    status: String(status),
    detail,
  });
}

function answer(res: ServerResponse, status: number, detail: string, close = false): void {
  if (res.headersSent || res.destroyed) return;
  const body = Buffer.from(scimError(status, detail));
  res.writeHead(status, {
    "content-type": "application/scim+json; charset=utf-8",
    "content-length": String(body.byteLength),
    ...(close ? { connection: "close" } : {}),
  });
  res.end(body);
}

/**
 * A node:http listener (also an Express handler) serving a web-standard handler.
 *
 * - The `Request` carries a `signal` that aborts when the client closes the connection before the answer;
 *   the answer is then dropped, and nothing is logged or reported.
 * - A body that has not arrived within `bodyTimeout` is answered 408 (RFC 9110 §15.5.9) and the
 *   connection closed.
 * - A body the handler refused unread (413, RFC 7644 §3.7.4, or an early 401) is drained after the answer,
 *   so a client that sends its whole body before reading the answer still reads it.
 * - A body already parsed by `express.json()` (or `express.raw()`/`express.text()`) is taken from `req.body`.
 * - An unexpected failure of the handler is answered 500 without details.
 *
 * @example
 * import { createServer } from "node:http";
 * createServer(toNodeListener(createScimHandler({ store: new MemoryStore() }))).listen(8080);
 * // Express: app.use("/scim/v2", toNodeListener(handle));
 */
export function toNodeListener(
  handler: FetchHandler,
  options: NodeListenerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const bodyTimeout = options.bodyTimeout ?? 30_000;
  // createScimHandler's own handlers take GET and HEAD (no body) without a Request: see node-incoming.ts.
  const entry = incomingEntryOf(handler);
  return (req: NodeRequest, res) => {
    if (entry && (req.method === "GET" || req.method === "HEAD")) {
      serveIncoming(entry, req, res, (status, detail) => answer(res, status, detail));
      return;
    }
    const controller = new AbortController();
    let body: RequestBody | undefined;
    let request: Request;
    let timer: NodeJS.Timeout | undefined;
    const stopTimer = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    };
    const gone = () => {
      if (res.writableFinished || controller.signal.aborted) return;
      stopTimer();
      const reason = new DOMException("the client closed the connection before the answer", "AbortError");
      controller.abort(reason);
      if (body?.kind === "stream") body.fail(reason);
    };
    req.once("aborted", gone);
    res.once("close", gone);
    try {
      ({ request, body } = buildRequest(req, controller.signal));
    } catch (error) {
      if (error instanceof BodyAlreadyReadError) answer(res, 400, error.message);
      else answer(res, 400, "malformed request: the Host header or the request target is not a valid URL");
      return;
    }
    const streamed = body.kind === "stream" ? body : undefined;
    if (streamed && !req.complete && bodyTimeout > 0) {
      req.once("end", stopTimer);
      const expire = () => {
        timer = undefined;
        if (!res.headersSent && streamed.waitingForReader()) {
          // The client sent faster than the handler reads (it may be queued behind others): not the client's delay.
          timer = setTimeout(expire, bodyTimeout).unref();
          return;
        }
        if (res.headersSent) {
          // Answered already, and the rest of the body never came: the connection cannot be reused.
          req.socket?.destroy();
          return;
        }
        const detail = `the request body did not arrive within ${bodyTimeout} ms`;
        const reason = new DOMException(detail, "TimeoutError");
        controller.abort(reason);
        streamed.fail(reason);
        // RFC 9110 §15.5.9: 408 Request Timeout, with the connection closed.
        answer(res, 408, detail, true);
      };
      timer = setTimeout(expire, bodyTimeout).unref();
    }
    if (streamed) {
      res.once("finish", () => {
        if (req.readableEnded) return;
        // Drain what the handler left unread (a refused 413, an early 401), so the client can finish
        // sending and read the answer, and the connection stays usable; past a bound, close it.
        let drained = 0;
        streamed.discard((bytes) => {
          drained += bytes;
          if (drained > MAX_DRAIN_BYTES) req.socket?.destroy();
        });
      });
    }
    // With createScimHandler's entry, a resource's answer is written without a Response stream.
    (entry ? entry(incomingOf(request)) : handler(request))
      .then((response) => writeAnswer(res, response, controller.signal.aborted))
      .catch(() => {
        if (controller.signal.aborted) return;
        answer(res, 500, "internal server error");
      });
  };
}
