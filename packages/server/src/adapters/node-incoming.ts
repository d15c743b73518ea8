/// <reference types="node" />
import type { ServerResponse } from "node:http";
import {
  type HeaderBag,
  INCOMING_ENTRY,
  type Incoming,
  type IncomingEntry,
  nodeHeader,
  Reply,
} from "../http/incoming.js";
import { buildRequest, type NodeRequest, requestUrl, writeResponse } from "./node-request.js";

/** The handler's Request-free entry, when it is one `createScimHandler` made. */
export function incomingEntryOf(handler: unknown): IncomingEntry | undefined {
  const entry = (handler as { [INCOMING_ENTRY]?: unknown })[INCOMING_ENTRY];
  return typeof entry === "function" ? (entry as IncomingEntry) : undefined;
}

/**
 * A GET or HEAD (no body) as the handler reads it, straight from node:http: headers from `req.headers`,
 * the URL parsed once; the WHATWG `Request` (with a signal that aborts when the client goes away) is
 * built only if something asks for it. Throws like `toRequest` for a URL that cannot be made.
 */
export class NodeIncoming implements Incoming {
  readonly method: string;
  readonly url: string;
  readonly parsed: URL;
  readonly #req: NodeRequest;
  #request: Request | undefined;
  #controller: AbortController | undefined;
  #gone: unknown;

  constructor(req: NodeRequest) {
    this.#req = req;
    this.method = req.method ?? "GET";
    this.parsed = requestUrl(req);
    this.url = this.parsed.href;
  }

  header(name: string): string | null {
    return nodeHeader(this.#req.headers[name]);
  }

  headerBag(): HeaderBag {
    return this.#req.headers;
  }

  get request(): Request {
    if (!this.#request) {
      this.#controller = new AbortController();
      if (this.#gone !== undefined) this.#controller.abort(this.#gone);
      this.#request = buildRequest(this.#req, this.#controller.signal).request;
    }
    return this.#request;
  }

  /** Whether the client went away before the answer. */
  get closed(): boolean {
    return this.#gone !== undefined;
  }

  /** The client went away: the Request's signal (now or once built) aborts. */
  abort(reason: unknown): void {
    if (this.#gone !== undefined) return;
    this.#gone = reason;
    this.#controller?.abort(reason);
  }
}

/**
 * Writes the handler's answer: a {@link Reply} as is, a `Response` through `writeResponse`; nothing
 * once the client is gone.
 */
export function writeAnswer(res: ServerResponse, answer: Response | Reply, closed: boolean): unknown {
  if (!(answer instanceof Reply)) {
    if (closed) return answer.body?.cancel();
    return writeResponse(res, answer);
  }
  if (closed || res.destroyed || res.headersSent) return undefined;
  if (answer.body === null) {
    res.writeHead(answer.status, answer.headers);
    res.end();
    return undefined;
  }
  // The text as is, not a Buffer: node:http then sends the head and the body in one write (a Buffer
  // body is a second chunk, a writev), and the bytes are encoded once, by the socket.
  const headers = answer.headers;
  headers["content-length"] = String(Buffer.byteLength(answer.body, "utf8"));
  res.writeHead(answer.status, headers);
  res.end(answer.body, "utf8");
  return undefined;
}

/**
 * Serves a GET or HEAD through the handler's Request-free entry: no `Request` unless the handler asks
 * for one, and a {@link Reply} written without a `Response` body stream. Behaves as the general path
 * does: a client that went away gets nothing written; a handler failure is answered 500.
 */
export function serveIncoming(
  entry: IncomingEntry,
  req: NodeRequest,
  res: ServerResponse,
  fail: (status: number, detail: string) => void,
): void {
  let incoming: NodeIncoming;
  try {
    incoming = new NodeIncoming(req);
  } catch {
    fail(400, "malformed request: the Host header or the request target is not a valid URL");
    return;
  }
  const gone = () => {
    if (res.writableFinished || incoming.closed) return;
    incoming.abort(new DOMException("the client closed the connection before the answer", "AbortError"));
  };
  req.once("aborted", gone);
  res.once("close", gone);
  entry(incoming)
    .then((answer) => writeAnswer(res, answer, incoming.closed))
    .catch(() => {
      if (incoming.closed) return;
      fail(500, "internal server error");
    });
}
