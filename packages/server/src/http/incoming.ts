/**
 * What the handler reads of a request, so that a runtime adapter can hand it over without building a
 * WHATWG `Request` first (node:http's GET requests: `@scimkit/server/node`). `request` is the full
 * `Request`, built on first use (a body to read, a user hook, the console's event stream).
 */
export interface Incoming {
  /** The method as sent. */
  readonly method: string;
  /** The absolute request URL. */
  readonly url: string;
  /** `url` parsed already, when the adapter had to (to check it). */
  readonly parsed?: URL;
  /** A request header's value (names in lower case), or null. */
  header(name: string): string | null;
  /**
   * Every request header, names in lower case, for the request's record. The recorder keeps this (not
   * the request) until the record is built: holding node's request object one event-loop turn past its
   * answer made every request's objects survive into the old generation (issue 14's profile).
   */
  headerBag(): HeaderBag;
  readonly request: Request;
}

/** A request's headers: a `Headers`, or node:http's `req.headers` (names in lower case). */
export type HeaderBag = Headers | Readonly<Record<string, string | string[] | undefined>>;

/** A node:http header value as one string (a repeated header's values joined with ", ", RFC 9110 §5.3), or null. */
export function nodeHeader(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(", ") : value;
}

/** A request header of a bag (name in lower case), or null. */
export function bagHeader(bag: HeaderBag, name: string): string | null {
  return bag instanceof Headers ? bag.get(name) : nodeHeader(bag[name]);
}

/** Calls `f` with every header of a bag, each as one string. */
export function forEachBagHeader(bag: HeaderBag, f: (value: string, name: string) => void): void {
  if (bag instanceof Headers) {
    bag.forEach(f);
    return;
  }
  for (const name of Object.keys(bag)) {
    const value = nodeHeader(bag[name]);
    if (value !== null) f(value, name);
  }
}

/** A WHATWG `Request` as {@link Incoming}. */
export function incomingOf(request: Request): Incoming {
  return {
    method: request.method,
    url: request.url,
    header: (name) => request.headers.get(name),
    headerBag: () => request.headers,
    request,
  };
}

/**
 * An answer with a text body, made without a `Response` (whose body is a ReadableStream, costly to
 * make and to read back): resources as GET, PUT, PATCH and POST return them. The public handler turns
 * it into a `Response`; the node:http listener writes it as is.
 */
export class Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | null;

  constructor(status: number, headers: Record<string, string>, body: string | null) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  toResponse(): Response {
    return new Response(this.body, { status: this.status, headers: this.headers });
  }
}

/**
 * The handler's entry for adapters that can supply an {@link Incoming}: a property of the function
 * `createScimHandler` returns, keyed by this symbol (internal: not part of the public API).
 */
export const INCOMING_ENTRY: unique symbol = Symbol.for("@scimkit/server:incoming-entry");

export type IncomingEntry = (incoming: Incoming) => Promise<Response | Reply>;
