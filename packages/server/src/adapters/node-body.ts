/// <reference types="node" />
import type { IncomingMessage } from "node:http";

/** Thrown by {@link requestBody} when middleware read the body stream and left nothing usable in `req.body`. */
export class BodyAlreadyReadError extends Error {
  constructor() {
    super(
      "the request body was already read by a body parser that ran before the SCIM listener (such as a global " +
        "express.json()); mount the SCIM listener before it, or exclude the SCIM path from it",
    );
    this.name = "BodyAlreadyReadError";
  }
}

/** A request body as a web stream, with the controls the node listener needs around it. */
export interface StreamedBody {
  readonly stream: ReadableStream<Uint8Array>;
  /** Errors the stream (the client went away, or the body timed out), so a pending read rejects. */
  fail(reason: unknown): void;
  /** Whether the stream holds a full queue its reader has not taken: the wait is the server's, not the client's. */
  waitingForReader(): boolean;
  /** Stops feeding the stream and reads the rest of the upload into the void, counting the bytes. */
  discard(onBytes: (bytes: number) => void): void;
}

/** What {@link requestBody} found: nothing to send, bytes a body parser already read, or the stream. */
export type RequestBody =
  | { readonly kind: "none" }
  | { readonly kind: "parsed"; readonly bytes: Uint8Array }
  | ({ readonly kind: "stream" } & StreamedBody);

/** Whether something other than us started reading the stream (a body parser, a logger). */
function alreadyRead(req: IncomingMessage): boolean {
  return req.readableDidRead || req.readableEnded || req.destroyed;
}

/** What a body parser left in `req.body`: objects and arrays as JSON, strings and bytes as they are. */
function parsedBytes(value: unknown): Uint8Array | undefined {
  if (typeof value === "string") return new TextEncoder().encode(value);
  if (value instanceof Uint8Array) return value;
  if (typeof value === "object" && value !== null) return new TextEncoder().encode(JSON.stringify(value));
  return undefined;
}

/**
 * The body of a node:http request for a web `Request`. GET and HEAD have none. When middleware
 * (express.json(), express.raw(), express.text()) already consumed the stream, its `req.body` is used;
 * when it consumed the stream and left nothing usable, {@link BodyAlreadyReadError} is thrown.
 */
export function requestBody(req: IncomingMessage & { body?: unknown }): RequestBody {
  const method = req.method ?? "GET";
  if (method === "GET" || method === "HEAD") return { kind: "none" };
  if (alreadyRead(req)) {
    const bytes = parsedBytes(req.body);
    if (bytes !== undefined) return { kind: "parsed", bytes };
    if (req.headers["content-length"] === "0") return { kind: "parsed", bytes: new Uint8Array() };
    throw new BodyAlreadyReadError();
  }
  return { kind: "stream", ...streamBody(req) };
}

/**
 * Streams a request's body with backpressure. Unlike `Readable.toWeb(req)`, cancelling it (the handler
 * refusing a body over `maxPayloadSize`) does not destroy the request: Node's stream `destroy` detaches
 * the socket from a destroyed server request, its parser then pushes the rest of the upload into the
 * destroyed stream, `push()` returns false and the parser stops reading the socket. A client that sends
 * its whole body before reading the answer then stalls and is reset by the keep-alive timeout, without
 * ever seeing the 413. A cancelled body is drained instead (the caller bounds how long and how much).
 */
function streamBody(req: IncomingMessage): StreamedBody {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let open = true;
  const onData = (chunk: Buffer) => {
    if (!open || !controller) return;
    controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if ((controller.desiredSize ?? 0) <= 0) req.pause();
  };
  const onEnd = () => {
    if (!open) return;
    open = false;
    detach();
    controller?.close();
  };
  const onError = (error: unknown) => fail(error);
  function detach(): void {
    req.off("data", onData);
    req.off("end", onEnd);
    req.off("error", onError);
  }
  function fail(reason: unknown): void {
    if (!open) return;
    open = false;
    detach();
    controller?.error(reason);
  }
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        req.on("data", onData);
        req.on("end", onEnd);
        req.on("error", onError);
      },
      pull() {
        req.resume();
      },
      cancel() {
        discard(() => undefined);
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
  let counting: ((bytes: number) => void) | undefined;
  function discard(onBytes: (bytes: number) => void): void {
    if (open) {
      open = false;
      detach();
    }
    if (counting === undefined) req.on("data", (chunk: Buffer) => counting?.(chunk.byteLength));
    counting = onBytes;
    req.resume();
  }
  const waitingForReader = () => open && (controller?.desiredSize ?? 1) <= 0;
  return { stream, fail, discard, waitingForReader };
}
